using System.Text;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>Everything a target's fingerprint covers. Secrets are never part of it: pass only non-secret parameters.</summary>
internal sealed record FingerprintInputs(
    string Target,
    InputManifest Inputs,
    IReadOnlyDictionary<string, string> Parameters,
    string CodeHash,
    string? Version,
    IReadOnlyDictionary<string, string> ToolVersions,
    IReadOnlyList<string> Outputs);

/// <summary>
/// The fingerprint: SHA-256 (64 hex digits, usable as a Bazel remote-cache action key as it is) over a canonical
/// serialization — one line per field, sorted, every value length-prefixed so no value can imitate another field.
/// Timestamps never enter. Pure: the same inputs give the same fingerprint on every machine.
/// </summary>
internal static class Fingerprint
{
    const string Format = "mlops-pipelines/fingerprint/1";

    public static string Compute(FingerprintInputs inputs) => ContentHash.Sha256(Encoding.UTF8.GetBytes(Canonical(inputs)));

    /// <summary>The exact text that is hashed (exposed for tests and for debugging a surprising re-run).</summary>
    public static string Canonical(FingerprintInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var text = new StringBuilder(Format).Append('\n');
        Field(text, "target", inputs.Target);
        Field(text, "version", inputs.Version ?? "");
        Field(text, "code", inputs.CodeHash);
        foreach (var output in inputs.Outputs.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            Field(text, "output", output);
        foreach (var (name, value) in inputs.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            Field(text, "parameter", name, value);
        foreach (var (name, version) in inputs.ToolVersions.OrderBy(p => p.Key, StringComparer.Ordinal))
            Field(text, "tool", name, version);
        foreach (var entry in inputs.Inputs.Entries.OrderBy(e => e.Path, StringComparer.Ordinal))
            Field(text, entry.IsTree ? "tree" : "file", entry.Path, entry.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Hash);
        return text.ToString();
    }

    static void Field(StringBuilder text, string kind, params string[] values)
    {
        text.Append(kind);
        foreach (var value in values)
            text.Append(' ').Append(Encoding.UTF8.GetByteCount(value)).Append(':').Append(value);
        text.Append('\n');
    }
}
