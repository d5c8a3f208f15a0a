namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>One calibration bin: mean predicted probability against the observed positive share.</summary>
public sealed record CalibrationBin(double MeanPredicted, double ObservedRate, long Rows);
