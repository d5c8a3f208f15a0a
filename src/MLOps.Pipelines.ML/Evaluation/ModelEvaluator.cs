using Microsoft.ML;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Scores held-out data with a model and computes metrics, curves and group metrics.</summary>
public static class ModelEvaluator
{
    public static EvaluationResult Evaluate(TrainedModel model, IDataView test, FeatureSpec spec, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var labels = DataViewColumns.Labels(test, spec.Label);
        var probabilities = model.PredictProbabilities(test);
        return Evaluate(labels, probabilities, options.GroupColumns.Select(c => (c, DataViewColumns.AsStrings(test, c))), options);
    }

    /// <summary>The pure part: everything from labels, probabilities and group keys.</summary>
    public static EvaluationResult Evaluate(
        IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities,
        IEnumerable<(string Column, string[] Values)> groups, EvaluationOptions options) =>
        new(
            BinaryMetricsCalculator.Compute(labels, probabilities, options.Threshold),
            CurveCalculator.Compute(labels, probabilities),
            groups.Select(g => GroupMetricsCalculator.Compute(
                g.Column, g.Values, labels, probabilities, options.Threshold, options.MaxGroupsPerColumn)).ToArray());
}
