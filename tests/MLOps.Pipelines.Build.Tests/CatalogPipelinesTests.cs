using System.Text.Json;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Tasks;
using Pipelines;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// The catalog's small pipelines through the real build program, in a temporary repository: Penguins (multiclass)
/// end to end through Register and Report, CustomerChurn with the training defaults that suit its 7k rows, and both in
/// one build and one lock, where building one never invalidates the other. (FlightDelays, 3M rows, stays out.)
/// </summary>
public sealed class CatalogPipelinesTests : IDisposable
{
    static readonly string[] Stages = ["Ingest", "Prepare", "Train", "Evaluate", "Explain", "Export", "Register", "Report"];

    static string[] Chain(string pipeline) => [.. Stages.Select(s => $"{s}@{pipeline}")];

    readonly TemporaryDirectory _repository = BuildProgram.NewRepository("mlops-build-catalog-", "penguins.csv", "telco-churn.csv");

    PipelineArtifacts Paths(string pipeline) =>
        PipelineCatalog.Get(pipeline).Artifacts(_repository.Path, _repository.Path / "artifacts");

    [Fact]
    public async Task Penguins_is_multiclass_end_to_end_through_Register_and_Report_then_up_to_date()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Report@Penguins", "--threads", "2");
        exit.ShouldBe(0, output);
        var outcomes = BuildProgram.Outcomes(output);
        outcomes.Keys.ShouldBe(Chain("Penguins"), ignoreOrder: true);
        outcomes.Values.ShouldAllBe(o => o == "Succeeded", output);
        output.ShouldContain("Quality gate passed: macro-F1 ");
        output.ShouldContain("class Chinstrap: precision ");
        output.ShouldNotContain("Error merging shape info");

        var paths = Paths("Penguins");
        var metrics = MetricsReport.Read(paths.Metrics);
        metrics.Task.ShouldBe(TaskKind.Multiclass);
        metrics.MacroF1!.Value.ShouldBeGreaterThan(0.9);
        metrics.LogLoss!.Value.ShouldBeLessThan(0.5);
        ParityReport.Read(paths.Parity).MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
        var receipt = RegistrationReceipt.Read(paths.Receipt);
        (receipt.Model, receipt.Version).ShouldBe(("penguins", 1));
        receipt.AliasesAtRegistration.ShouldContain("champion");
        using (var registry = JsonDocument.Parse(await File.ReadAllTextAsync(paths.RegistryFile)))
        {
            registry.RootElement.GetProperty("aliasHistory").EnumerateArray().Single(m => m.GetProperty("alias").GetString() == "champion")
                .GetProperty("why").GetString().ShouldStartWith("log_loss "); // the pipeline promotes on log-loss
            var version = registry.RootElement.GetProperty("versions")[0];
            version.GetProperty("metrics").EnumerateObject().Select(p => p.Name).ShouldBe(ModelTask.Multiclass.HeadlineMetrics, ignoreOrder: true);
            version.GetProperty("parameters").GetProperty("Leaves").GetString().ShouldBe("4"); // the pipeline's own default, recorded
        }
        var report = await File.ReadAllTextAsync(paths.Report);
        report.ShouldContain("penguins v1");
        report.ShouldContain("Confusion matrix (rows: actual class, columns: predicted class)");
        var lockText = await File.ReadAllTextAsync(Path.Combine(_repository.Path, "pipelines.lock"));
        lockText.ShouldContain("\"macro_f1\":");

        (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Report@Penguins", "--threads", "2");
        exit.ShouldBe(0, output);
        BuildProgram.Outcomes(output).Values.ShouldAllBe(o => o == "UpToDate", output);
    }

    [Fact]
    public async Task Monitor_checks_the_multiclass_champions_macro_f1_and_a_mislabelled_batch_fails_the_build()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Register@Penguins", "Monitor@Penguins", "--threads", "2");
        exit.ShouldBe(0, output);
        // The held-out rows are the ones Evaluate registered the champion's metrics on: no drop.
        output.ShouldMatch(@"performance: macro_f1 (\d\.\d{4}) vs registered \1 \(drop 0\.0000, tolerance 0\.02\)");

        var lines = await File.ReadAllLinesAsync(Path.Combine(_repository.Path, "data", "penguins.csv"));
        var rotate = new Dictionary<string, string> { ["Adelie"] = "Chinstrap", ["Chinstrap"] = "Gentoo", ["Gentoo"] = "Adelie" };
        var batch = Path.Combine(_repository.Path, "mislabelled.csv");
        await File.WriteAllLinesAsync(batch, [lines[0], .. lines.Skip(1).Select(l => rotate[l[..l.IndexOf(',')]] + l[l.IndexOf(',')..])]);
        (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Monitor@Penguins", "--threads", "2", "--batch", batch, "--fail-on-drift");
        exit.ShouldBe(1, output);
        output.ShouldContain("drift: none (");
        output.ShouldMatch(@"performance: macro_f1 0\.\d{4} vs registered 0\.9\d{3} \(drop 0\.[5-9]\d{3}, tolerance 0\.02\): ALARM");
        output.ShouldMatch(@"\] retrain: .*performance alarm: macro_f1 ");
    }

    [Fact]
    public async Task A_failing_multiclass_gate_exits_1_with_the_metric_the_threshold_and_the_metrics()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Evaluate@Penguins", "--threads", "2", "--gate-threshold", "0.999");
        exit.ShouldBe(1, output);
        output.ShouldContain("Quality gate failed: macro-F1 ");
        output.ShouldContain("under the threshold 0.999 (--gate-threshold). Test metrics: ");
    }

    [Fact]
    public async Task CustomerChurn_trains_with_its_own_defaults_and_beats_the_base_rate_log_loss()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Evaluate@CustomerChurn", "--threads", "2");
        exit.ShouldBe(0, output);
        output.ShouldContain("LightGbm (Binary): 200 trees, 8 leaves, learning rate 0.03");
        var metrics = MetricsReport.Read(Paths("CustomerChurn").Metrics);
        metrics.Auc!.Value.ShouldBeGreaterThan(0.84);
        // Predicting the base rate (26.5 % churn) scores ≈0.578; the flights settings scored 0.755 here.
        metrics.LogLoss!.Value.ShouldBeLessThan(0.45);
        metrics.Headline().Keys.ShouldBe(["accuracy", "auc", "brier", "log_loss", "pr_auc"]); // the names the lock has always had
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Two_pipelines_share_one_lock_and_building_one_never_invalidates_the_other()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Report@CustomerChurn", "Report@Penguins", "--trees", "20", "--threads", "2");
        exit.ShouldBe(0, output);
        var outcomes = BuildProgram.Outcomes(output);
        outcomes.Keys.ShouldBe([.. Chain("CustomerChurn"), .. Chain("Penguins")], ignoreOrder: true);
        outcomes.Values.ShouldAllBe(o => o == "Succeeded", output);
        var first = TargetRecords.WorkingTree(_repository.Path);
        foreach (var stage in Stages)
            first.OfFamily(stage).Select(r => r.Key).ShouldBe(["CustomerChurn", "Penguins"], ignoreOrder: true);
        var penguinsBefore = PenguinsRecords(first);

        // Retrain CustomerChurn alone with another tree count: only its Train and what follows run.
        (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Report@CustomerChurn", "--trees", "30", "--threads", "2");
        exit.ShouldBe(0, output);
        outcomes = BuildProgram.Outcomes(output);
        outcomes.Keys.ShouldBe(Chain("CustomerChurn"), ignoreOrder: true);
        outcomes["Train@CustomerChurn"].ShouldBe("Succeeded", output);
        outcomes["Ingest@CustomerChurn"].ShouldBe("UpToDate", output);

        // Penguins' records are untouched, and Penguins (with its own, unchanged parameters) is still up to date.
        PenguinsRecords(TargetRecords.WorkingTree(_repository.Path)).ShouldBe(penguinsBefore);
        (exit, output) = await BuildProgram.RunAsync(_repository.Path, "Report@Penguins", "--trees", "20", "--threads", "2");
        exit.ShouldBe(0, output);
        BuildProgram.Outcomes(output).Values.ShouldAllBe(o => o == "UpToDate", output);

        // Both registries hold their own model, each with lineage from its own instances' records.
        RegistrationReceipt.Read(Paths("CustomerChurn").Receipt).Model.ShouldBe("customer-churn");
        using var registry = JsonDocument.Parse(await File.ReadAllTextAsync(Paths("Penguins").RegistryFile));
        registry.RootElement.GetProperty("versions")[0].GetProperty("data").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["artifacts/penguins/prepared", "data/penguins.csv"], ignoreOrder: true);
    }

    static IReadOnlyList<string> PenguinsRecords(TargetRecords records) =>
        [.. records.All.Where(r => r.Key == "Penguins").Select(r => $"{r.Target} {r.Fingerprint}")];

    [Fact]
    public void Every_pipeline_has_its_own_name_and_model_folder()
    {
        PipelineCatalog.All.Select(p => p.Name).ShouldBe(["FlightDelays", "CustomerChurn", "Penguins"]);
        PipelineCatalog.All.Select(p => p.ModelName).ShouldBeUnique();
        foreach (var pipeline in PipelineCatalog.All) PipelineCatalog.Get(pipeline.Name).ShouldBeSameAs(pipeline);
        Should.Throw<ArgumentOutOfRangeException>(() => PipelineCatalog.Get("Iris")).Message.ShouldContain("add its definition to PipelineCatalog.All");
    }

    public void Dispose() => _repository.Dispose();
}
