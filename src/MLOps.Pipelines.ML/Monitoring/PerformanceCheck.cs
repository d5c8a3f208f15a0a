using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>Scores a labelled batch with the library's evaluation and compares the metrics with the registered ones.</summary>
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

    /// <summary>The pure comparison.</summary>
    public static PerformanceReport Compare(BinaryMetrics current, IReadOnlyDictionary<string, double> registered, PerformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(registered);
        options ??= PerformanceOptions.Default;
        if (options.Tolerance < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "the performance tolerance must be at least 0");
        var named = Named(current);
        if (!named.TryGetValue(options.Metric, out var value))
            throw new ArgumentException($"unknown performance metric '{options.Metric}'; use one of {string.Join(", ", named.Keys)}", nameof(options));
        if (!registered.TryGetValue(options.Metric, out var baseline))
            throw new ArgumentException($"the registered metrics have no '{options.Metric}' (they have: {string.Join(", ", registered.Keys)}); pick a metric the model was registered with", nameof(registered));
        var drop = options.HigherIsBetter ? baseline - value : value - baseline;
        return new PerformanceReport(options.Metric, baseline, value, Math.Round(drop, 6), options.Tolerance, current.Rows, named,
            new SortedDictionary<string, double>(registered.ToDictionary(), StringComparer.Ordinal));
    }

    /// <summary>Scores a prepared, labelled Parquet file with the model and compares.</summary>
    public static PerformanceReport Evaluate(
        TrainedModel model, string preparedParquet, FeatureSpec spec, IReadOnlyDictionary<string, double> registered, PerformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var frame = ParquetTable.ReadDataFrame(preparedParquet);
        var metrics = ModelEvaluator.Evaluate(model, frame, spec, EvaluationOptions.Default).Metrics;
        return Compare(metrics, registered, options);
    }
}
