
namespace MLOps.Pipelines.ML.Reports;

/// <summary>Metrics of this run against an earlier one (the previous run, the committed lock, the champion).</summary>
public sealed record ReportMetricsDiff(string Against, IReadOnlyList<MetricChange> Changes);
