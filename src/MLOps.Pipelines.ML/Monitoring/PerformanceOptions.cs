namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// When a labelled batch's metric counts as a drop: more than <see cref="Tolerance"/> (absolute) worse than the
/// registered value of <see cref="Metric"/> (a key of the registry's metrics: binary auc, pr_auc, accuracy, log_loss,
/// brier; multiclass macro_f1, micro_accuracy, macro_accuracy, log_loss).
/// </summary>
public sealed record PerformanceOptions(string Metric = "auc", double Tolerance = 0.02)
{
    public static PerformanceOptions Default { get; } = new();

    /// <summary>Losses fall when the model improves; everything else rises.</summary>
    public bool HigherIsBetter => Tasks.ModelTask.HigherIsBetter(Metric);
}
