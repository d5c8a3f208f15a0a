/// <summary>
/// The repository's data files (<c>data/</c>), found from the benchmark's own folder: the first folder above it that
/// holds MLOps.Pipelines.sln, so a benchmark runs from any clone. Compiled into IngestBenchmark and MonitorBenchmark.
/// </summary>
internal static class RepositoryData
{
    public static string File(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "MLOps.Pipelines.sln")))
                return Path.Combine(dir.FullName, "data", name);
        }
        throw new InvalidOperationException($"no MLOps.Pipelines.sln above {AppContext.BaseDirectory}: run the benchmark from a checkout of MLOps.Pipelines.");
    }
}
