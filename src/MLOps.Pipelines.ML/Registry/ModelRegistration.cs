namespace MLOps.Pipelines.ML.Registry;

/// <summary>What a caller hands to <see cref="ModelRegistry.Register"/>: the model file and where it came from.</summary>
/// <param name="ModelFile">The trained model (stored in the blob store; only its digest goes to git).</param>
/// <param name="DataDigests">Data set name → content digest (e.g. from the lock file).</param>
/// <param name="CodeFingerprint">The training target's code fingerprint.</param>
/// <param name="Parameters">Parameter name → value as the run saw it.</param>
/// <param name="Metrics">Metric name → value (finite numbers only).</param>
/// <param name="GitCommit">The commit that built the model; null reads <c>git rev-parse HEAD</c> (or "unknown" outside git).</param>
public sealed record ModelRegistration(
    AbsolutePath ModelFile,
    IReadOnlyDictionary<string, string> DataDigests,
    string CodeFingerprint,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    string? GitCommit = null);
