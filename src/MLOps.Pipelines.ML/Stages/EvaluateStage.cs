using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Evaluate: scores Prepare's <c>test.parquet</c> and writes metrics.json (<see cref="MetricsReport"/>) with its plots
/// (binary: ROC / PR / calibration / histogram; multiclass: the confusion matrix), <c>gate.json</c>
/// (<see cref="GateVerdict"/>) and <c>metrics-diff.json</c> (<see cref="MetricsDiffReport"/>: headline metrics against
/// the previous run and the committed lock, like <c>dvc metrics diff</c>). A failing gate throws
/// <see cref="QualityGateException"/> before anything is written.
/// </summary>
public static class EvaluateStage
{
    public static EvaluateStageResult Run(string modelPath, string preparedDirectory, FeatureSpec spec, EvaluateSettings settings, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        var model = TrainedModel.Load(modelPath);
        RequireTask(model, spec, modelPath);
        var test = ParquetTable.ReadDataFrame(PreparedFiles.Test(preparedDirectory));
        EvaluationResult? binary = null;
        MulticlassMetrics? multiclass = null;
        MetricsReport report;
        if (spec.Task == TaskKind.Binary)
        {
            binary = ModelEvaluator.Evaluate(model, test, spec, new EvaluationOptions(spec.Groups));
            report = MetricsReport.From(binary.Metrics, binary.Groups);
        }
        else
        {
            multiclass = MulticlassEvaluator.Evaluate(model, test, spec);
            report = MetricsReport.From(multiclass);
        }

        var headline = report.Headline();
        var gate = QualityGate.Check(headline, settings.Gate, settings.Champion);
        if (!gate.Passed) throw new QualityGateException(gate);

        var toPrevious = HeadlineMetrics.Diff(settings.PreviousRun, headline);
        var toCommitted = HeadlineMetrics.Diff(settings.Committed, headline);
        if (binary is not null) EvaluationWriter.Write(binary, outputDirectory);
        else EvaluationWriter.Write(multiclass!, outputDirectory);
        new GateVerdict(gate.Passed, gate.Message, gate.Metric, ArtifactJson.Round(gate.Value), gate.Threshold)
        {
            ChampionVersion = settings.Champion?.Version,
            ChampionSha256 = settings.Champion?.ModelSha256,
        }.Write(Path.Combine(outputDirectory, GateVerdict.FileName));
        new MetricsDiffReport(settings.PreviousRun is null ? null : toPrevious, settings.Committed is null ? null : toCommitted)
            .Write(Path.Combine(outputDirectory, MetricsDiffReport.FileName));
        return new EvaluateStageResult(report, gate, headline, toPrevious, toCommitted, binary, multiclass);
    }

    /// <summary>
    /// True while the champion <paramref name="gatePath"/> (gate.json) was compared with is still the one
    /// <see cref="ChampionBaseline"/> picks for the model from the registry: Evaluate's <c>Verifies</c>, so a champion
    /// moved to another model re-runs an up-to-date Evaluate, and a registry that did not move leaves it alone.
    /// </summary>
    public static bool ComparedWithCurrentChampion(ModelRegistry registry, string modelPath, string gatePath)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!File.Exists(gatePath) || !File.Exists(modelPath)) return false;
        var verdict = GateVerdict.Read(gatePath);
        var champion = ChampionBaseline.Of(registry, ChampionBaseline.Sha256Of(modelPath), verdict.Metric);
        return champion?.Version == verdict.ChampionVersion && champion?.ModelSha256 == verdict.ChampionSha256;
    }

    /// <summary>A model trained for another task than the pipeline's (e.g. before its label changed) must be retrained.</summary>
    internal static void RequireTask(TrainedModel model, FeatureSpec spec, string modelPath)
    {
        if (model.Task != spec.Task)
            throw new InvalidDataException($"{modelPath} is a {model.Task} model but the pipeline's task is {spec.Task}: run Train again.");
    }
}
