using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Reports;

/// <summary>
/// Everything one run's HTML report shows, as plain values: the report depends on no stage's types, so each stage
/// hands over its results as metrics, generic tables, PNG plots and key-value pairs. A section left empty is still
/// rendered, saying it was not recorded for this run.
/// </summary>
public sealed record RunReport
{
    public required string Title { get; init; }

    /// <summary>Shown under the title: pipeline, run id, date, split… in the given order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Summary { get; init; } = [];

    /// <summary>Headline metrics (AUC, accuracy, …), in the given order.</summary>
    public IReadOnlyList<ReportMetric> Metrics { get; init; } = [];

    /// <summary>Evaluation plots (ROC, PR, calibration, score histogram, …).</summary>
    public IReadOnlyList<ReportImage> Plots { get; init; } = [];

    /// <summary>Data quality tables (row counts, nulls, ranges, categories, …).</summary>
    public IReadOnlyList<ReportTable> DataQuality { get; init; } = [];

    /// <summary>Fairness tables (metrics by group, parity differences).</summary>
    public IReadOnlyList<ReportTable> Fairness { get; init; } = [];

    public ReportTable? FeatureImportance { get; init; }
    public ReportImage? FeatureImportancePlot { get; init; }

    public ReportLineage? Lineage { get; init; }

    public ReportMetricsDiff? MetricsDiff { get; init; }
}

public sealed record ReportMetric(string Name, double Value);

/// <summary>A PNG image on disk; the report embeds its bytes.</summary>
public sealed record ReportImage(string Caption, string PngPath);

/// <summary>A table of text cells; every row has one cell per column.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

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

/// <summary>Metrics of this run against an earlier one (the previous run, the committed lock, the champion).</summary>
public sealed record ReportMetricsDiff(string Against, IReadOnlyList<MetricChange> Changes);

/// <summary>One metric then and now; null where a side lacks it. <paramref name="HigherIsBetter"/> null: no judgement shown.</summary>
public sealed record MetricChange(string Name, double? Previous, double? Current, bool? HigherIsBetter = null);
