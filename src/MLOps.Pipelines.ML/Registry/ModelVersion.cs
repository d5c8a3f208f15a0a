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

/// <summary>Why an alias moved.</summary>
public enum AliasMoveKind
{
    /// <summary>Set by hand or by a pipeline step (<see cref="ModelRegistry.SetAlias"/>).</summary>
    Set,
    /// <summary>Moved by the promotion policy (<see cref="ModelRegistry.Promote"/>).</summary>
    Promote,
    /// <summary>Moved back by <see cref="ModelRegistry.Rollback"/>.</summary>
    Rollback,
}

/// <summary>One move of an alias: from which version (null when it was first set) to which, by whom, when and why.</summary>
public sealed record AliasMove(
    string Alias,
    int? From,
    int To,
    AliasMoveKind Kind,
    string By,
    DateTimeOffset At,
    string Why);

/// <summary>The aliases the lifecycle uses.</summary>
public static class ModelAliases
{
    public const string Champion = "champion";
    public const string Challenger = "challenger";
}

/// <summary>When the challenger replaces the champion: it must beat it on <paramref name="Metric"/> by at least <paramref name="Margin"/>.</summary>
/// <param name="Metric">Metric name as registered (e.g. "auc").</param>
/// <param name="Margin">The least improvement that counts (0 = any strict improvement).</param>
/// <param name="HigherIsBetter">False for losses such as log-loss or Brier score.</param>
public sealed record PromotionPolicy(string Metric = "auc", double Margin = 0.0, bool HigherIsBetter = true)
{
    public static PromotionPolicy Default { get; } = new();
}

/// <summary>The outcome of <see cref="ModelRegistry.Promote"/>; <paramref name="Move"/> is the recorded move when promoted.</summary>
public sealed record PromotionDecision(bool Promoted, string Reason, AliasMove? Move);

/// <summary>Knobs of a <see cref="ModelRegistry"/>; the defaults suit a developer's machine and CI.</summary>
public sealed record ModelRegistryOptions
{
    /// <summary>Clock for created-at and alias-move timestamps.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Who registers and moves aliases; defaults to the user name from the environment.</summary>
    public string? User { get; init; }

    /// <summary>How long to wait for another process holding the registry lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
