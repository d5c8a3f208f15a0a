namespace MLOps.Pipelines.ML.Registry;

/// <summary>One registered model version, as recorded in <c>registry.json</c>. Dictionaries are sorted by key (ordinal).</summary>
public sealed record ModelVersion(
    int Version,
    string ModelFileName,
    string ModelSha256,
    long ModelBytes,
    IReadOnlyDictionary<string, string> DataDigests,
    string CodeFingerprint,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    string GitCommit,
    DateTimeOffset CreatedAt,
    string CreatedBy);
