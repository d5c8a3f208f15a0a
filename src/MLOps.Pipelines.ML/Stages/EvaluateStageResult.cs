using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// What Evaluate computed and wrote; the diffs list every headline metric, changed or not. <see cref="Binary"/> is set
/// for a binary model (curves, fairness by group), <see cref="Multiclass"/> for a multiclass one.
/// </summary>
public sealed record EvaluateStageResult(
    MetricsReport Metrics,
    GateResult Gate,
    IReadOnlyDictionary<string, double> Headline,
    IReadOnlyList<MetricChange> DiffToPreviousRun,
    IReadOnlyList<MetricChange> DiffToCommitted,
    EvaluationResult? Binary,
    MulticlassMetrics? Multiclass);
