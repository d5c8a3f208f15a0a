namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// Fairness view of one column: demographic-parity difference (max − min predicted positive rate over slices)
/// and equal-opportunity difference (max − min true positive rate over slices that have positives).
/// </summary>
public sealed record GroupMetrics(
    string Column, IReadOnlyList<GroupSlice> Slices, double DemographicParityDifference, double? EqualOpportunityDifference);
