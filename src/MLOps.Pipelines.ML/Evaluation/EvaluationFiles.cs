
namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Where <see cref="EvaluationWriter"/> put each output.</summary>
public sealed record EvaluationFiles(string MetricsJson, string RocPng, string PrecisionRecallPng, string CalibrationPng, string ScoreHistogramPng);
