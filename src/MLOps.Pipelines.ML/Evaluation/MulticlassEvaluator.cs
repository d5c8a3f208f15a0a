using Microsoft.ML;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Scores held-out data with a multiclass model and computes its metrics.</summary>
public static class MulticlassEvaluator
{
    public static MulticlassMetrics Evaluate(TrainedModel model, IDataView test, FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var labels = DataViewColumns.AsStrings(test, spec.Label);
        return MulticlassMetricsCalculator.Compute(model.Classes, labels, model.PredictClassProbabilities(test));
    }
}
