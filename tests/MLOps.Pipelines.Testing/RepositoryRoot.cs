namespace MLOps.Pipelines.Testing;

/// <summary>The checkout the tests run from: the first folder above the test assembly that holds MLOps.Pipelines.sln.</summary>
public static class RepositoryRoot
{
    static readonly Lazy<AbsolutePath> s_path = new(() => Locate(AppContext.BaseDirectory));

    public static AbsolutePath Path => s_path.Value;

    /// <summary>A file of the repository's data sets (<c>data/</c>).</summary>
    public static AbsolutePath Data(string name) => Path / "data" / name;

    public static AbsolutePath Locate(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MLOps.Pipelines.sln")))
                return AbsolutePath.Create(directory.FullName);
        throw new InvalidOperationException($"No MLOps.Pipelines.sln above {start}: the tests run from a checkout of MLOps.Pipelines.");
    }
}
