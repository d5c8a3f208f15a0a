namespace MLOps.Pipelines.ML.Evaluation;

public sealed record CurvePoint(double X, double Y);
