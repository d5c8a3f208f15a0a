namespace MLOps.Pipelines.ML.Registry;

/// <summary>When the challenger replaces the champion: it must beat it on <paramref name="Metric"/> by at least <paramref name="Margin"/>.</summary>
/// <param name="Metric">Metric name as registered (e.g. "auc").</param>
/// <param name="Margin">The least improvement that counts (0 = any strict improvement).</param>
/// <param name="HigherIsBetter">False for losses such as log-loss or Brier score.</param>
public sealed record PromotionPolicy(string Metric = "auc", double Margin = 0.0, bool HigherIsBetter = true)
{
    public static PromotionPolicy Default { get; } = new();
}
