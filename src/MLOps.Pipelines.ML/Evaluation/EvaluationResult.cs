using Microsoft.ML;

namespace MLOps.Pipelines.ML.Evaluation;

public sealed record EvaluationResult(BinaryMetrics Metrics, EvaluationCurves Curves, IReadOnlyList<GroupMetrics> Groups);
