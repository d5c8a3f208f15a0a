using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Explain: permutation importance of the raw feature columns, on the task's metric unless another is named, on (at most <c>maxRows</c> of) the test rows, written as
/// importance.json / .md / .csv and a bar plot. Each feature costs <c>repeats</c> scorings, hence the row cap.
/// </summary>
public static class ExplainStage
{
    public const long DefaultMaxRows = 50_000;

    public static ExplainStageResult Run(
        string modelPath, string preparedDirectory, FeatureSpec spec, string outputDirectory,
        int seed = 42, int repeats = 3, long maxRows = DefaultMaxRows, string? metric = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var model = TrainedModel.Load(modelPath);
        EvaluateStage.RequireTask(model, spec, modelPath);
        var test = PreparedFiles.EveryKth(ParquetTable.ReadDataFrame(PreparedFiles.Test(preparedDirectory)), maxRows);
        var importances = PermutationImportance.Compute(model, test, spec, seed, repeats, metric);
        var files = ImportanceWriter.Write(importances, outputDirectory);
        return new ExplainStageResult(importances, files, test.Rows.Count);
    }
}
