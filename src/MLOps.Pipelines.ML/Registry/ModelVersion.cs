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
    string CreatedBy)
{
    /// <summary>
    /// Where any machine fetches the binary by its digest, e.g. <c>oci://127.0.0.1:5000/models/churn:sha256-…</c> (an OCI
    /// artifact); null when it went only to a store private to the registering machine (the local folder).
    /// </summary>
    public string? ModelLocation { get; init; }
}
