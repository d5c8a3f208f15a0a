using System.IO.Compression;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;
using MLOps.Pipelines.ML.Tests.Training;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Stages;

/// <summary>
/// A multiclass pipeline (penguin species) through every stage as the build wires them, from the definition's own
/// gate and promotion metrics: macro-F1 gates, log-loss (lower is better) promotes.
/// </summary>
public sealed class MulticlassStageTests : IDisposable
{
    static readonly TrainingOptions Small = new(Trees: 60, Leaves: 4, LearningRate: 0.1, MinExamplesPerLeaf: 5, Threads: 2, Categorical: CategoricalHandling.OneHot);

    readonly TrainedPipeline _run = new(PenguinsPipeline.Species, Small, "mlops-multiclass-");
    readonly PipelineDefinition _definition = PenguinsPipeline.Species;
    readonly PipelineArtifacts _paths;

    public MulticlassStageTests() => _paths = _run.Paths;

    QualityGatePolicy Gate(double? threshold = null) => new(_definition.GateMetric, threshold ?? _definition.GateThreshold, 0.01);

    [Fact]
    public void The_definition_is_multiclass_with_its_own_gate_and_promotion_metrics()
    {
        _definition.Task.ShouldBe(ModelTask.Multiclass);
        _definition.GateMetric.ShouldBe("macro_f1");
        _definition.PromotionMetric.ShouldBe("log_loss");
        PrepareSummary.Read(_paths.PrepareSummary).Spec.Task.ShouldBe(TaskKind.Multiclass);
        Should.Throw<ArgumentException>(() => _definition with { GateMetric = "auc" }).Message.ShouldContain("macro_f1, micro_accuracy, macro_accuracy, log_loss");
    }

    [Fact]
    public void Evaluate_writes_multiclass_metrics_the_confusion_matrix_and_the_gate_verdict()
    {
        var result = EvaluateStage.Run(_paths.Model, _paths.Prepared, _definition.Spec, new EvaluateSettings(Gate()), _paths.Evaluation);

        result.Headline.Keys.ShouldBe(ModelTask.Multiclass.HeadlineMetrics, ignoreOrder: true);
        result.Headline["macro_f1"].ShouldBeGreaterThan(0.9);
        result.Binary.ShouldBeNull();
        var metrics = MetricsReport.Read(_paths.Metrics);
        metrics.Task.ShouldBe(TaskKind.Multiclass);
        metrics.Classes.ShouldBe(["Adelie", "Chinstrap", "Gentoo"]);
        metrics.Confusion!.Sum(r => r.Sum()).ShouldBe(metrics.Rows);
        metrics.PerClass!.Sum(c => c.Support).ShouldBe(metrics.Rows);
        metrics.Auc.ShouldBeNull();
        PngFile.ShouldBeValid(Path.Combine(_paths.Evaluation, EvaluationWriter.ConfusionMatrixPng));
        var gate = GateVerdict.Read(_paths.Gate);
        (gate.Passed, gate.Metric, gate.Threshold).ShouldBe((true, "macro_f1", 0.9));
        gate.Message.ShouldStartWith("Quality gate passed: macro-F1 0.9");
    }

    [Fact]
    public void A_failing_multiclass_gate_names_macro_f1_the_parameter_and_the_metrics()
    {
        var e = Should.Throw<QualityGateException>(() =>
            EvaluateStage.Run(_paths.Model, _paths.Prepared, _definition.Spec, new EvaluateSettings(Gate(threshold: 0.999)), _paths.Evaluation));
        e.Message.ShouldStartWith("Quality gate failed: macro-F1 0.9");
        e.Message.ShouldContain("(--gate-threshold)");
        e.Message.ShouldContain("Test metrics: ");
        e.Message.ShouldContain("log_loss ");
        Directory.Exists(_paths.Evaluation).ShouldBeFalse();
    }

    [Fact]
    public void Register_promotes_on_log_loss_report_and_package_show_the_classes()
    {
        var evaluated = EvaluateStage.Run(_paths.Model, _paths.Prepared, _definition.Spec, new EvaluateSettings(Gate()), _paths.Evaluation);
        ExplainStage.Run(_paths.Model, _paths.Prepared, _definition.Spec, _paths.Explanation, repeats: 1);
        var export = ExportStage.Run(_paths.Model, _paths.Prepared, _paths.Exported);
        export.Report.Output.ShouldBe("Score.output");
        export.Report.Classes.ShouldBe(["Adelie", "Chinstrap", "Gentoo"]);
        export.Parity.MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);

        var root = _run.Folder.Path;
        var registry = ModelRegistry.ForModel(root, _definition.ModelName, FileSystemModelBlobStore.ForRepository(root));
        registry.File.ShouldBe(_paths.RegistryFile);
        var promotion = new PromotionPolicy(_definition.PromotionMetric, 0, ModelTask.HigherIsBetter(_definition.PromotionMetric));
        var lineage = new TrainingLineage(new Dictionary<string, string>(), "code", new Dictionary<string, string>()).WithTraining(Small);
        RegisterStage.Run(registry, new(_paths.Model, lineage, MetricsReport.Read(_paths.Metrics).Headline(), GateVerdict.Read(_paths.Gate).Passed, promotion, "unknown"), _paths.Receipt);
        registry.Get("champion").Parameters["Leaves"].ShouldBe("4");

        // A worse-calibrated retrain (higher log-loss) registers but is not promoted; a better one is.
        var worse = _run.Folder["worse.zip"];
        TrainStage.Run(_paths.Prepared, _definition.Spec, Small with { Trees = 5 }, worse);
        var worseMetrics = new Dictionary<string, double>(evaluated.Headline) { ["log_loss"] = evaluated.Headline["log_loss"] + 0.2 };
        var notPromoted = RegisterStage.Run(registry, new(worse, lineage, worseMetrics, true, promotion, "unknown"), _run.Folder["r2.json"]);
        notPromoted.Promotion.Promoted.ShouldBeFalse();
        notPromoted.Promotion.Reason.ShouldContain("log_loss");
        var better = _run.Folder["better.zip"];
        TrainStage.Run(_paths.Prepared, _definition.Spec, Small with { Trees = 61 }, better);
        var betterMetrics = new Dictionary<string, double>(evaluated.Headline) { ["log_loss"] = evaluated.Headline["log_loss"] - 0.01 };
        RegisterStage.Run(registry, new(better, lineage, betterMetrics, true, promotion, "unknown"), _run.Folder["r3.json"]).Promotion.Promoted.ShouldBeTrue();

        var html = File.ReadAllText(ReportStage.Run(new ReportInputs("Penguins", [new("Pipeline", "Penguins")],
            _paths.Ingested, _paths.Evaluation, _paths.Explanation, registry, RegistrationReceipt.Read(_paths.Receipt).Version), _paths.Report));
        html.ShouldContain("penguins v1");
        html.ShouldContain("multiclass (Adelie, Chinstrap, Gentoo)");
        html.ShouldContain("Metrics per class");
        html.ShouldContain("Confusion matrix (rows: actual class, columns: predicted class)");
        html.ShouldContain("macro_f1");
        html.ShouldContain("macro-F1 drop");
        html.ShouldNotContain("ROC curve");
    }

    [Fact]
    public void A_binary_model_is_refused_by_a_multiclass_pipeline_naming_the_fix()
    {
        var binary = _run.Folder["binary.zip"];
        var prepared = _run.Folder["binary-prepared"];
        ML.Stages.PrepareStage.Run(_paths.IngestedData, PenguinsPipeline.Sex.Features, new ML.Features.RandomSplit(), prepared);
        TrainStage.Run(prepared, PenguinsPipeline.Sex.Features.Spec, Small, binary);
        Should.Throw<InvalidDataException>(() => EvaluateStage.Run(binary, _paths.Prepared, _definition.Spec, new EvaluateSettings(Gate()), _paths.Evaluation))
            .Message.ShouldContain("run Train again");
    }

    public void Dispose() => _run.Dispose();
}
