namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Paths in this repository (<see cref="RepositoryRoot"/>).</summary>
internal static class RepositoryFiles
{
    public static string Root => RepositoryRoot.Path;

    public static string Data(string name) => RepositoryRoot.Data(name);

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
