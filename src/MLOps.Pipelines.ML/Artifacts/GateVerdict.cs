namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>gate.json</c>, Evaluate's quality-gate verdict that Register reads: whether the model may go further, the metric
/// and threshold it was judged on, and the one-line message.
/// </summary>
public sealed record GateVerdict(bool Passed, string Message, string Metric, double? Value, double Threshold)
{
    public const string FileName = "gate.json";

    public static GateVerdict Read(string path) => ArtifactJson.Read<GateVerdict>(path, "Evaluate");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
