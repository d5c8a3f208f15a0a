namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>Fairness of one group column: parity differences and the metrics of each value's slice.</summary>
public sealed record GroupReport(double? DemographicParityDifference, double? EqualOpportunityDifference, IReadOnlyDictionary<string, SliceReport> Slices);
