using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Reports;

/// <summary>Which data, code and parameters made the model, and where it is registered.</summary>
public sealed record ReportLineage(
    IReadOnlyDictionary<string, string> DataDigests,
    string CodeFingerprint,
    IReadOnlyDictionary<string, string> Parameters,
    string GitCommit,
    int? ModelVersion = null,
    string? ModelSha256 = null,
    IReadOnlyList<string>? ModelAliases = null)
{
    /// <summary>The lineage a registry recorded for <paramref name="version"/>, with the aliases pointing at it.</summary>
    public static ReportLineage From(ModelVersion version, IReadOnlyList<string> aliases)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new(version.DataDigests, version.CodeFingerprint, version.Parameters, version.GitCommit,
            version.Version, version.ModelSha256, aliases);
    }
}
