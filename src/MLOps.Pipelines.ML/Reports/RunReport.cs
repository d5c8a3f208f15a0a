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
