namespace MLOps.Pipelines.ML.Evaluation;

public sealed record EvaluationCurves(
    IReadOnlyList<CurvePoint> Roc,
    IReadOnlyList<CurvePoint> PrecisionRecall,
    IReadOnlyList<CalibrationBin> Calibration,
    ScoreHistogram Histogram);
