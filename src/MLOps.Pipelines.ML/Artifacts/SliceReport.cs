namespace MLOps.Pipelines.ML.Artifacts;

public sealed record SliceReport(long Rows, double? PositiveRate, double? PredictedPositiveRate, double? TruePositiveRate, double? Auc);
