using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Scores a labelled batch with the library's evaluation and compares the metrics with the registered ones, under the
/// names the registry holds (binary: auc, pr_auc, accuracy, log_loss, brier; multiclass: macro_f1, micro_accuracy,
/// macro_accuracy, log_loss).
/// </summary>
public static class PerformanceCheck
{
    /// <summary>The metrics under the registry's names.</summary>
    public static IReadOnlyDictionary<string, double> Named(BinaryMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["accuracy"] = Math.Round(metrics.Accuracy, 6),
            ["auc"] = Math.Round(metrics.Auc, 6),
            ["brier"] = Math.Round(metrics.Brier, 6),
            ["log_loss"] = Math.Round(metrics.LogLoss, 6),
            ["pr_auc"] = Math.Round(metrics.PrAuc, 6),
        };
    }

    /// <summary>The multiclass metrics under the registry's names (what Evaluate registers: the task's headline metrics).</summary>
    public static IReadOnlyDictionary<string, double> Named(MulticlassMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return MetricsReport.From(metrics).Headline();
    }

    /// <summary>The pure comparison of a binary model's metrics.</summary>
    public static PerformanceReport Compare(BinaryMetrics current, IReadOnlyDictionary<string, double> registered, PerformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(current);
        return CompareNamed(Named(current), current.Rows, registered, options);
    }

    /// <summary>The pure comparison of a multiclass model's metrics.</summary>
    public static PerformanceReport Compare(MulticlassMetrics current, IReadOnlyDictionary<string, double> registered, PerformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(current);
        return CompareNamed(Named(current), current.Rows, registered, options);
    }

    /// <summary>The pure comparison: <paramref name="current"/> (metrics by registry name, on <paramref name="rows"/> rows) against <paramref name="registered"/>.</summary>
    public static PerformanceReport CompareNamed(
        IReadOnlyDictionary<string, double> current, long rows, IReadOnlyDictionary<string, double> registered, PerformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(registered);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tolerance < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "the performance tolerance must be at least 0");
        if (!current.TryGetValue(options.Metric, out var value))
            throw new ArgumentException($"unknown performance metric '{options.Metric}' for this model; use one of {string.Join(", ", current.Keys)}", nameof(options));
        if (!registered.TryGetValue(options.Metric, out var baseline))
            throw new ArgumentException($"the registered metrics have no '{options.Metric}' (they have: {string.Join(", ", registered.Keys)}); pick a metric the model was registered with", nameof(registered));
        var drop = options.HigherIsBetter ? baseline - value : value - baseline;
        return new PerformanceReport(options.Metric, baseline, value, Math.Round(drop, 6), options.Tolerance, rows,
            new SortedDictionary<string, double>(current.ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, double>(registered.ToDictionary(), StringComparer.Ordinal));
    }

    /// <summary>Scores a prepared, labelled Parquet file with the model (binary or multiclass, as it was trained) and compares.</summary>
    public static PerformanceReport Evaluate(
        TrainedModel model, string preparedParquet, FeatureSpec spec, IReadOnlyDictionary<string, double> registered, PerformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var frame = ParquetTable.ReadDataFrame(preparedParquet);
        return model.Task == TaskKind.Multiclass
            ? Compare(MulticlassEvaluator.Evaluate(model, frame, spec), registered, options ?? new PerformanceOptions(ModelTask.Multiclass.PrimaryMetric))
            : Compare(ModelEvaluator.Evaluate(model, frame, spec, EvaluationOptions.Default).Metrics, registered, options ?? PerformanceOptions.Default);
    }
}
