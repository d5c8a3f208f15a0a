namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>parity.json</c>, Export's check of ONNX Runtime against ML.NET that Package reads: rows compared, the largest
/// absolute probability difference and its row, the tolerance, the ONNX inputs and the output to read (binary: the
/// positive-class probability; multiclass: one probability per class, in the order of <see cref="Classes"/>).
/// </summary>
public sealed record ParityReport(
    long Rows,
    double MaxAbsoluteDifference,
    long WorstRow,
    double Tolerance,
    IReadOnlyList<string> Inputs,
    string Output,
    IReadOnlyList<string>? Classes = null)
{
    public const string FileName = "parity.json";

    public static ParityReport Read(string path) => ArtifactJson.Read<ParityReport>(path, "Export");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
