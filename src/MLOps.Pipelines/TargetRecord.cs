using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines;

/// <summary>
/// What one target recorded in <c>pipelines.lock</c> when it last ran or was restored: its parameter values, metrics,
/// code hash and the content hashes of its inputs and outputs. Read through <see cref="TargetRecords"/>.
/// </summary>
/// <param name="Target">The target's name: <c>Train</c>, or <c>Train@FlightDelays</c> for an instance of a family.</param>
public sealed record TargetRecord(
    string Target,
    string Fingerprint,
    string CodeHash,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<ManifestEntry> Inputs,
    IReadOnlyList<ManifestEntry> Outputs,
    IReadOnlyDictionary<string, string> ToolVersions)
{
    /// <summary>The family (<c>Train</c>) of an instance; the name itself for a plain target.</summary>
    public string Family => Target.Split('@', 2)[0];

    /// <summary>The key (<c>FlightDelays</c>) of a family instance; null for a plain target.</summary>
    public string? Key => Target.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? Target[(at + 1)..] : null;

    internal static TargetRecord From(string target, LockEntry entry) =>
        new(target, entry.Fingerprint, entry.CodeHash, entry.Parameters, entry.Metrics, entry.Inputs, entry.Outputs, entry.ToolVersions);
}
