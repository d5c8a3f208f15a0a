using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines;

/// <summary>What the lock file records for one target after it ran or was restored.</summary>
public sealed record LockEntry(
    string Fingerprint,
    string CodeHash,
    string? Version,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> ToolVersions,
    IReadOnlyList<ManifestEntry> Inputs,
    IReadOnlyList<ManifestEntry> Outputs,
    IReadOnlyDictionary<string, double> Metrics);
