using System.Globalization;

namespace MLOps.Pipelines.ML.Tasks;

/// <summary>
/// A prediction task and the metrics that judge it: the headline metrics recorded in <c>pipelines.lock</c> and the
/// registry, the primary metric (gate, promotion and permutation importance by default), and which way each is better.
/// Binary: AUC; multiclass: macro-F1. Losses (log-loss, Brier) are better when lower.
/// </summary>
public sealed class ModelTask
{
    private ModelTask(TaskKind kind, string primaryMetric, IReadOnlyList<string> headline)
    {
        Kind = kind;
        PrimaryMetric = primaryMetric;
        HeadlineMetrics = headline;
    }

    /// <summary>A bool label: AUC, PR-AUC, log-loss, accuracy, Brier; AUC decides.</summary>
    public static ModelTask Binary { get; } = new(TaskKind.Binary, "auc", ["auc", "pr_auc", "log_loss", "accuracy", "brier"]);

    /// <summary>A string label with several classes: macro-F1, micro and macro accuracy, log-loss; macro-F1 decides.</summary>
    public static ModelTask Multiclass { get; } = new(TaskKind.Multiclass, "macro_f1", ["macro_f1", "micro_accuracy", "macro_accuracy", "log_loss"]);

    public TaskKind Kind { get; }

    /// <summary>The metric the quality gate, promotion and permutation importance use unless a pipeline names another.</summary>
    public string PrimaryMetric { get; }

    /// <summary>The metrics a reviewer reads in the lock and the registry, in this order.</summary>
    public IReadOnlyList<string> HeadlineMetrics { get; }

    public static ModelTask Of(TaskKind kind) => kind switch
    {
        TaskKind.Binary => Binary,
        TaskKind.Multiclass => Multiclass,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown task kind; use Binary or Multiclass."),
    };

    /// <summary>Higher is better for every metric but the losses.</summary>
    public static bool HigherIsBetter(string metric) => metric is not ("log_loss" or "brier");

    /// <summary>Throws naming <paramref name="parameter"/> when <paramref name="metric"/> is not one of this task's headline metrics.</summary>
    public string RequireMetric(string metric, string parameter)
    {
        if (!HeadlineMetrics.Contains(metric, StringComparer.Ordinal))
            throw new ArgumentException(
                $"{parameter} '{metric}' is not a metric of a {Kind.ToString().ToLowerInvariant()} model; use one of {string.Join(", ", HeadlineMetrics)}.", parameter);
        return metric;
    }

    /// <summary>How people write the metric: "AUC", "macro-F1", "log-loss".</summary>
    public static string Display(string metric) => metric switch
    {
        "auc" => "AUC",
        "pr_auc" => "PR-AUC",
        "macro_f1" => "macro-F1",
        "f1" => "F1",
        _ => metric.Replace('_', '-'),
    };

    /// <summary>Two decimals as people write metrics, more only when needed to tell close values apart.</summary>
    public static string Format(double value) => Math.Round(value, 4).ToString("0.00##", CultureInfo.InvariantCulture);

    public override string ToString() => Kind.ToString();
}
