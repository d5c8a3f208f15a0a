namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>gate.json</c>, Evaluate's quality-gate verdict that Register reads: whether the model may go further, the metric
/// and threshold it was judged on, the one-line message, and the registered champion it was compared with (none: no
/// champion then) — Evaluate is up to date only while that is still the champion to compare with.
/// </summary>
public sealed record GateVerdict(bool Passed, string Message, string Metric, double? Value, double Threshold)
{
    public const string FileName = "gate.json";

    /// <summary>The champion's version tag ("v6"), or null when there was no champion to compare with.</summary>
    public string? ChampionVersion { get; init; }

    /// <summary>The champion's model digest, or null when there was no champion to compare with.</summary>
    public string? ChampionSha256 { get; init; }

    public static GateVerdict Read(string path) => ArtifactJson.Read<GateVerdict>(path, "Evaluate");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
