using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// The gate and the baselines Evaluate compares with. <paramref name="PreviousRun"/> and <paramref name="Committed"/>
/// are headline metrics (see <see cref="HeadlineMetrics"/>), null when there is no such run.
/// </summary>
public sealed record EvaluateSettings(
    double MinAuc,
    double ChampionTolerance,
    ChampionModel? Champion = null,
    IReadOnlyDictionary<string, double>? PreviousRun = null,
    IReadOnlyDictionary<string, double>? Committed = null);

/// <summary>What Evaluate computed and wrote; the diffs list every headline metric, changed or not.</summary>
public sealed record EvaluateStageResult(
    EvaluationResult Evaluation,
    EvaluationFiles Files,
    GateResult Gate,
    IReadOnlyDictionary<string, double> Headline,
    IReadOnlyList<MetricChange> DiffToPreviousRun,
    IReadOnlyList<MetricChange> DiffToCommitted);

/// <summary>The quality gate failed: the model must not go further. The message says why and which parameter sets the bar.</summary>
public sealed class QualityGateException(GateResult gate) : Exception(gate.Message)
{
    public GateResult Gate { get; } = gate;
}

/// <summary>
/// Evaluate: scores Prepare's <c>test.parquet</c>, writes metrics.json, the ROC / PR / calibration / histogram plots,
/// <c>gate.json</c> and <c>metrics-diff.json</c> (headline metrics against the previous run and the committed lock, like
/// <c>dvc metrics diff</c>). A failing gate throws <see cref="QualityGateException"/> before anything is written.
/// </summary>
public static class EvaluateStage
{
    public const string GateFile = "gate.json";
    public const string DiffFile = "metrics-diff.json";

    public static EvaluateStageResult Run(string modelPath, string preparedDirectory, FeatureSpec spec, EvaluateSettings settings, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(settings);
        var model = TrainedModel.Load(modelPath);
        var test = ParquetTable.ReadDataFrame(PreparedFiles.Test(preparedDirectory));
        var evaluation = ModelEvaluator.Evaluate(model, test, spec, new EvaluationOptions(spec.Groups));
        var gate = QualityGate.Check(evaluation.Metrics, settings.MinAuc, settings.Champion, settings.ChampionTolerance,
            "--min-auc", "--champion-tolerance");
        if (!gate.Passed) throw new QualityGateException(gate);

        var headline = HeadlineMetrics.From(evaluation.Metrics);
        var toPrevious = HeadlineMetrics.Diff(settings.PreviousRun, headline);
        var toCommitted = HeadlineMetrics.Diff(settings.Committed, headline);
        var files = EvaluationWriter.Write(evaluation, outputDirectory);
        WriteJson(Path.Combine(outputDirectory, GateFile), new { passed = gate.Passed, message = gate.Message });
        WriteJson(Path.Combine(outputDirectory, DiffFile), new
        {
            previous_run = settings.PreviousRun is null ? null : toPrevious,
            committed = settings.Committed is null ? null : toCommitted,
        });
        return new EvaluateStageResult(evaluation, files, gate, headline, toPrevious, toCommitted);
    }

    /// <summary>Reads the gate verdict Evaluate recorded.</summary>
    public static GateResult ReadGate(string evaluationDirectory)
    {
        var path = Path.Combine(evaluationDirectory, GateFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: run Evaluate first.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new GateResult(document.RootElement.GetProperty("passed").GetBoolean(), document.RootElement.GetProperty("message").GetString() ?? "");
    }

    static void WriteJson(string path, object value) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
