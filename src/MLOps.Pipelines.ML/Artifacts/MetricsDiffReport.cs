using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>metrics-diff.json</c>: every headline metric against the previous run and against the committed lock (like
/// <c>dvc metrics diff</c>); a side is null when there was no such baseline. Report reads it.
/// </summary>
public sealed record MetricsDiffReport(IReadOnlyList<MetricChange>? PreviousRun, IReadOnlyList<MetricChange>? Committed)
{
    public const string FileName = "metrics-diff.json";

    public static MetricsDiffReport Read(string path) => ArtifactJson.Read<MetricsDiffReport>(path, "Evaluate");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
