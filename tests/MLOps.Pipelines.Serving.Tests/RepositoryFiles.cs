namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Paths in this repository, found by walking up from the test assembly to MLOps.Pipelines.sln.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLOps.Pipelines.sln"))) return dir.FullName;
        throw new InvalidOperationException("cannot find MLOps.Pipelines.sln above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Data(string name) => Path.Combine(Root, "data", name);

    /// <summary>The built host (same configuration as the tests).</summary>
    public static string HostDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
            return Path.Combine(Root, "src", "MLOps.Pipelines.Serving.Host", "bin", configuration, "net10.0", "mlops-serve.dll");
        }
    }
}
