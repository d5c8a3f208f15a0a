using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// The gate and the baselines Evaluate compares with. <paramref name="PreviousRun"/> and <paramref name="Committed"/>
/// are headline metrics (see <see cref="HeadlineMetrics"/>), null when there is no such run.
/// </summary>
public sealed record EvaluateSettings(
    QualityGatePolicy Gate,
    ChampionModel? Champion = null,
    IReadOnlyDictionary<string, double>? PreviousRun = null,
    IReadOnlyDictionary<string, double>? Committed = null);
