using MLOps.Pipelines.ML.Explain;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary><c>importance.json</c>, Explain's permutation importance that Report reads: the metric permuted on and one row per feature.</summary>
public sealed record ImportanceReport(string Metric, bool HigherIsBetter, IReadOnlyList<FeatureImportance> Features)
{
    public const string FileName = "importance.json";

    public static ImportanceReport Read(string path) => ArtifactJson.Read<ImportanceReport>(path, "Explain");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
