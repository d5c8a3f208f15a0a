
namespace MLOps.Pipelines.ML.Reports;

public sealed record ReportMetric(string Name, double Value);
