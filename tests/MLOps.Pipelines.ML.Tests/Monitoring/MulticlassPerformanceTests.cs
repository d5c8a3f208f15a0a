using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>
/// Performance monitoring of a multiclass model (penguin species, real LightGBM): the batch's macro-F1 and log-loss
/// against the metrics Evaluate registered, an alarm when a labelled batch is worse beyond the tolerance.
/// </summary>
public sealed class MulticlassPerformanceTests : IDisposable
{
    static readonly TrainingOptions Small = new(Trees: 40, Leaves: 4, LearningRate: 0.1, MinExamplesPerLeaf: 5, Threads: 1, Categorical: CategoricalHandling.OneHot);

    readonly TrainedPipeline _run = new(PenguinsPipeline.Species, Small, "mlops-multiclass-monitor-");
    readonly PipelineDefinition _definition = PenguinsPipeline.Species;
    readonly PipelineArtifacts _paths;
    readonly IReadOnlyDictionary<string, double> _registered;

    public MulticlassPerformanceTests()
    {
        _paths = _run.Paths;
        // What Register records: Evaluate's headline metrics on the test rows.
        _registered = EvaluateStage.Run(_paths.Model, _paths.Prepared, _definition.Spec,
            new EvaluateSettings(new QualityGatePolicy("macro_f1", 0.5, 0.01)), _paths.Evaluation).Headline;
    }

    public void Dispose() => _run.Dispose();

    PipelineMonitorRequest Request(string? batch, PerformanceOptions? performance = null) => new(_definition, _paths)
    {
        Batch = batch,
        ModelPath = _paths.Model,
        RegisteredMetrics = _registered,
        Performance = performance,
    };

    [Fact]
    public async Task The_held_out_rows_score_as_registered_on_macro_f1_by_default()
    {
        var result = await PipelineMonitor.RunAsync(Request(null), _paths.Monitoring);

        var performance = result.Performance.ShouldNotBeNull();
        performance.Metric.ShouldBe(ModelTask.Multiclass.PrimaryMetric);
        performance.Metric.ShouldBe("macro_f1");
        performance.Registered.ShouldBe(_registered["macro_f1"]);
        performance.Current.ShouldBe(_registered["macro_f1"], 1e-6);
        performance.CurrentMetrics.Keys.ShouldBe(ModelTask.Multiclass.HeadlineMetrics, ignoreOrder: true);
        performance.Alarm.ShouldBeFalse();
        result.Alarms.ShouldBeEmpty();
        result.Lines().ShouldContain(l => l.StartsWith("performance: macro_f1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_with_mislabelled_species_drops_macro_f1_and_raises_log_loss_beyond_the_tolerance()
    {
        // The same penguins, each species' label rotated: the features do not drift, the model is wrong on every row.
        var rotate = new Dictionary<string, string> { ["Adelie"] = "Chinstrap", ["Chinstrap"] = "Gentoo", ["Gentoo"] = "Adelie" };
        var lines = File.ReadAllLines(TestData.File(_definition.RawFile));
        var batch = _run.Folder["mislabelled.csv"];
        File.WriteAllLines(batch, [lines[0], .. lines.Skip(1).Select(l => rotate[l[..l.IndexOf(',')]] + l[l.IndexOf(',')..])]);

        var byF1 = await PipelineMonitor.RunAsync(Request(batch, new PerformanceOptions("macro_f1", 0.05)), _paths.Monitoring);
        byF1.Drift.Detected.ShouldBeFalse();
        var f1 = byF1.Performance.ShouldNotBeNull();
        f1.Current.ShouldBeLessThan(0.1);
        f1.Drop.ShouldBeGreaterThan(0.8);
        f1.Alarm.ShouldBeTrue();
        byF1.Alarms.ShouldHaveSingleItem().ShouldStartWith("performance: macro_f1 ");
        byF1.FailsBuild(failOnDrift: true).ShouldBeTrue();

        var byLoss = await PipelineMonitor.RunAsync(Request(batch, new PerformanceOptions("log_loss", 0.05)), _paths.Monitoring);
        var loss = byLoss.Performance.ShouldNotBeNull();
        loss.Current.ShouldBeGreaterThan(loss.Registered + 1); // lower is better: the drop is the rise
        loss.Drop.ShouldBe(Math.Round(loss.Current - loss.Registered, 6));
        loss.Alarm.ShouldBeTrue();
    }

    [Fact]
    public async Task A_binary_metric_for_a_multiclass_model_is_a_clear_error()
    {
        var e = await Should.ThrowAsync<ArgumentException>(() => PipelineMonitor.RunAsync(Request(null, new PerformanceOptions("auc")), _paths.Monitoring));
        e.Message.ShouldContain("unknown performance metric 'auc'");
        e.Message.ShouldContain("macro_f1");
    }
}
