using System.Diagnostics;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>Train: fits the model on Prepare's <c>train.parquet</c> and saves <c>model.zip</c> (atomically).</summary>
public static class TrainStage
{
    public const string ModelFile = "model.zip";

    public static TrainStageResult Run(string preparedDirectory, FeatureSpec spec, TrainingOptions options, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        var train = ParquetTable.ReadDataFrame(PreparedFiles.Train(preparedDirectory));
        var clock = Stopwatch.StartNew();
        var model = ModelTrainer.Train(train, spec, options);
        var fit = clock.Elapsed;
        StepProgress.Report("saving " + Path.GetFileName(modelPath));
        model.Save(modelPath);
        return new TrainStageResult(Path.GetFullPath(modelPath), train.Rows.Count, fit);
    }
}
