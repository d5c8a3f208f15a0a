
namespace MLOps.Pipelines.ML.Reports;

/// <summary>One metric then and now; null where a side lacks it. <paramref name="HigherIsBetter"/> null: no judgement shown.</summary>
public sealed record MetricChange(string Name, double? Previous, double? Current, bool? HigherIsBetter = null);
