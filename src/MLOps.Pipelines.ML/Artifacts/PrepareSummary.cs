using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>prepare.json</c>, the layout of Prepare's folder: the input it read, the split, the feature spec (with the task),
/// and the rows of each file it wrote (<c>train.parquet</c>, <c>test.parquet</c>, <c>batch-yyyy-MM.parquet</c>).
/// </summary>
public sealed record PrepareSummary(
    string Input,
    SplitSummary Split,
    FeatureSpec Spec,
    long TrainRows,
    long TestRows,
    long DroppedRows,
    IReadOnlyDictionary<string, long> Batches)
{
    public const string FileName = "prepare.json";

    public static PrepareSummary Read(string path) => ArtifactJson.Read<PrepareSummary>(path, "Prepare");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
