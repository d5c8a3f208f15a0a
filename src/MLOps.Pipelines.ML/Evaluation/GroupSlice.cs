namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// Metrics of one value of a group column. <see cref="TruePositiveRate"/> and <see cref="Auc"/> are null when
/// the slice lacks the class they need.
/// </summary>
public sealed record GroupSlice(
    string Value, long Rows, double PositiveRate, double PredictedPositiveRate, double? TruePositiveRate, double? Auc);
