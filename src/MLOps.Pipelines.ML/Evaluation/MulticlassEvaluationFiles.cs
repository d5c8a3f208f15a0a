
namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Where <see cref="EvaluationWriter"/> put a multiclass model's outputs.</summary>
public sealed record MulticlassEvaluationFiles(string MetricsJson, string ConfusionMatrixPng);
