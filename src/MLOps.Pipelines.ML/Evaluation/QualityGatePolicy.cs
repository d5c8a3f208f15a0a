using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>
/// What the quality gate judges: <paramref name="Metric"/> (e.g. "auc", "macro_f1", "log_loss") must reach
/// <paramref name="Threshold"/> (at least, or at most for a loss) and be no worse than the champion's by more than
/// <paramref name="ChampionTolerance"/>. The parameter names are how the user sets each bar; messages name them.
/// </summary>
public sealed record QualityGatePolicy(
    string Metric,
    double Threshold,
    double ChampionTolerance,
    string ThresholdParameter = "--gate-threshold",
    string ToleranceParameter = "--champion-tolerance")
{
    public bool HigherIsBetter => ModelTask.HigherIsBetter(Metric);
}
