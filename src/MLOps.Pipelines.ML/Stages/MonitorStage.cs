using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Monitor: scores each monthly batch Prepare wrote for a time split (<c>batch-yyyy-MM.parquet</c>) and writes
/// <c>monitor.json</c> with AUC per batch. AUC falling month after month is the drift signal retraining reacts to.
/// </summary>
public static class MonitorStage
{

    public static IReadOnlyList<BatchQuality> Run(string modelPath, string preparedDirectory, FeatureSpec spec, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var batches = PreparedFiles.Batches(preparedDirectory);
        if (batches.Count == 0)
            throw new InvalidOperationException(
                $"{preparedDirectory} holds no monthly batches (batch-yyyy-MM.parquet): they come from a time split; run Prepare with --split Time.");

        var model = TrainedModel.Load(modelPath);
        if (model.Task != TaskKind.Binary)
            throw new InvalidOperationException($"{modelPath}: Monitor tracks AUC per batch, which needs a binary model; this one is {model.Task}.");
        var results = new List<BatchQuality>();
        foreach (var batch in batches)
        {
            var metrics = ModelEvaluator.Evaluate(model, ParquetTable.ReadDataFrame(batch), spec, EvaluationOptions.Default).Metrics;
            var name = Path.GetFileNameWithoutExtension(batch)["batch-".Length..];
            results.Add(new BatchQuality(name, metrics.Rows, Math.Round(metrics.PositiveRate, 6), Math.Round(metrics.Auc, 6), Math.Round(metrics.LogLoss, 6)));
        }

        new MonitorReport(results).Write(Path.Combine(outputDirectory, MonitorReport.FileName));
        return results;
    }
}
