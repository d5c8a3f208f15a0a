using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary><c>monitor.json</c>, Monitor's quality of the model on each later batch.</summary>
public sealed record MonitorReport(IReadOnlyList<BatchQuality> Batches)
{
    public const string FileName = "monitor.json";

    public static MonitorReport Read(string path) => ArtifactJson.Read<MonitorReport>(path, "Monitor");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
