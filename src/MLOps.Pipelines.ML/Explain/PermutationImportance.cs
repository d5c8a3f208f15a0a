using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Explain;

/// <summary>
/// Permutation importance on the raw input columns. ML.NET's PermutationFeatureImportance permutes slots of the
/// featurized vector, which splits a one-hot column into dozens of meaningless entries; shuffling the raw column
/// measures the feature as the user knows it. The score is the task's metric (AUC, macro-F1, log-loss, …).
/// </summary>
public static class PermutationImportance
{
    /// <param name="metric">The metric to permute on (e.g. "auc", "macro_f1", "log_loss"); the task's primary metric when null.</param>
    public static IReadOnlyList<FeatureImportance> Compute(
        TrainedModel model, IDataView test, FeatureSpec spec, int seed = 42, int repeats = 3, string? metric = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        metric = spec.ModelTask.RequireMetric(metric ?? spec.ModelTask.PrimaryMetric, nameof(metric));
        var score = Scorer(model, test, spec, metric);
        var frame = FeatureFrame(model, test);
        var baseline = score(frame);
        if (double.IsNaN(baseline))
        {
            throw new ArgumentException($"Permutation importance needs a defined {metric} on the test data (both classes for AUC).", nameof(test));
        }

        // "Drop" is how much worse the metric gets, whichever way is better.
        var sign = ModelTask.HigherIsBetter(metric) ? 1.0 : -1.0;
        var random = new Random(seed);
        var results = new List<(string Feature, string Kind, double Mean, double Std)>();
        var features = spec.Numeric.Select(n => (n, "numeric")).Concat(spec.Categorical.Select(c => (c, "categorical"))).ToArray();
        StepProgress.Report("features permuted", 0, features.Length);
        foreach (var feature in features)
        {
            var original = frame.Columns[feature.Item1];
            var drops = new double[repeats];
            for (var r = 0; r < repeats; r++)
            {
                frame.Columns[feature.Item1] = Permuted(original, random);
                drops[r] = sign * (baseline - score(frame));
            }

            frame.Columns[feature.Item1] = original;
            var mean = drops.Average();
            results.Add((feature.Item1, feature.Item2, mean, Math.Sqrt(drops.Sum(d => (d - mean) * (d - mean)) / repeats)));
            StepProgress.Report("features permuted", results.Count, features.Length);
        }

        return results.OrderByDescending(r => r.Mean).ThenBy(r => r.Feature, StringComparer.Ordinal)
            .Select((r, i) => new FeatureImportance(i + 1, r.Feature, r.Kind, metric, baseline, r.Mean, r.Std)).ToArray();
    }

    /// <summary>The metric of the model's predictions on a (permuted) frame against the test labels.</summary>
    private static Func<DataFrame, double> Scorer(TrainedModel model, IDataView test, FeatureSpec spec, string metric)
    {
        if (spec.Task == TaskKind.Multiclass)
        {
            var classes = DataViewColumns.AsStrings(test, spec.Label);
            return frame => MetricsReport.From(MulticlassMetricsCalculator.Compute(model.Classes, classes, model.PredictClassProbabilities(frame)))[metric] ?? double.NaN;
        }

        var labels = DataViewColumns.Labels(test, spec.Label);
        if (metric == "auc") return frame => BinaryMetricsCalculator.Auc(labels, model.PredictProbabilities(frame));
        return frame => MetricsReport.From(BinaryMetricsCalculator.Compute(labels, model.PredictProbabilities(frame), 0.5), [])[metric] ?? double.NaN;
    }
    /// <summary>Copies just the model's input columns into a DataFrame whose columns can be swapped cheaply.</summary>
    private static DataFrame FeatureFrame(TrainedModel model, IDataView test)
    {
        // Scoring validates names and types and throws a clear error before anything is copied.
        _ = model.Score(test);
        var columns = new List<DataFrameColumn>();
        foreach (var column in model.InputSchema)
        {
            columns.Add(column.Type.RawType == typeof(float)
                ? new PrimitiveDataFrameColumn<float>(column.Name, test.GetColumn<float>(column.Name))
                : new StringDataFrameColumn(column.Name, test.GetColumn<ReadOnlyMemory<char>>(column.Name).Select(v => v.ToString())));
        }

        return new DataFrame(columns);
    }

    private static DataFrameColumn Permuted(DataFrameColumn column, Random random)
    {
        var order = Enumerable.Range(0, (int)column.Length).ToArray();
        random.Shuffle(order);
        return column switch
        {
            PrimitiveDataFrameColumn<float> f => new PrimitiveDataFrameColumn<float>(f.Name, order.Select(i => f[i])),
            StringDataFrameColumn s => new StringDataFrameColumn(s.Name, order.Select(i => s[i])),
            _ => throw new NotSupportedException($"Column '{column.Name}' of type {column.DataType} cannot be permuted."),
        };
    }
}
