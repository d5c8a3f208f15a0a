using System.IO.Compression;
using System.Text.Json;
using MLOps.Pipelines.Internal.Fingerprints;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.ML.Tests.TestPipelines;
using MLOps.Pipelines.ML.Catalog;

namespace MLOps.Pipelines.ML.Tests.Stages;

/// <summary>Every stage on the real churn data, through the catalog's definition, as the build wires them.</summary>
public sealed class StageTests(ChurnStagesFixture churn) : IClassFixture<ChurnStagesFixture>
{
    static readonly EvaluateSettings Lenient = new(new QualityGatePolicy("auc", 0.6, 0.01));

    [Fact]
    public void Train_writes_a_model_that_scores_the_test_rows()
    {
        File.Exists(churn.ModelPath).ShouldBeTrue();
        churn.Trained.TrainRows.ShouldBeInRange(5400, 5900); // 80 % of 7,043
        TrainedModel.Load(churn.ModelPath).InputColumns.ShouldBe(churn.Definition.Spec.Features, ignoreOrder: true);
    }

    [Fact]
    public void Train_names_the_missing_prepared_file()
    {
        var empty = churn.NewDirectory("empty");
        var e = Should.Throw<FileNotFoundException>(() => TrainStage.Run(empty, churn.Definition.Spec, ChurnStagesFixture.SmallModel, Path.Combine(empty, "m.zip")));
        e.Message.ShouldContain("train.parquet");
        e.Message.ShouldContain("run Prepare first");
    }

    [Fact]
    public void Evaluate_writes_metrics_plots_fairness_gate_and_diffs()
    {
        var dir = churn.NewDirectory("evaluation");
        var previous = new Dictionary<string, double> { ["auc"] = 0.5, ["accuracy"] = 0.5 };
        var result = EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, Lenient with { PreviousRun = previous }, dir);

        result.Binary!.Metrics.Auc.ShouldBeGreaterThan(0.8); // churn with gradient boosting: ~0.84
        result.Gate.Passed.ShouldBeTrue();
        foreach (var png in new[] { "roc.png", "precision-recall.png", "calibration.png", "score-histogram.png" })
            File.ReadAllBytes(Path.Combine(dir, png))[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        var metrics = MetricsReport.Read(Path.Combine(dir, MetricsReport.FileName));
        metrics.ShouldBe(result.Metrics with { Groups = metrics.Groups }); // dictionaries compare by reference
        metrics.Groups!["female"].Slices.Count.ShouldBe(2);
        metrics.Groups.ContainsKey("senior_citizen").ShouldBeTrue();
        result.Headline.Keys.ShouldBe(ModelTask.Binary.HeadlineMetrics, ignoreOrder: true); // the names the lock has always recorded

        var auc = result.DiffToPreviousRun.Single(c => c.Metric == "auc");
        auc.Old.ShouldBe(0.5);
        auc.New.ShouldBe(result.Headline["auc"]);
        result.DiffToPreviousRun.Single(c => c.Metric == "brier").Old.ShouldBeNull();
        var diff = MetricsDiffReport.Read(Path.Combine(dir, MetricsDiffReport.FileName));
        diff.PreviousRun!.Count.ShouldBe(ModelTask.Binary.HeadlineMetrics.Count);
        diff.Committed.ShouldBeNull();
        var gate = GateVerdict.Read(Path.Combine(dir, GateVerdict.FileName));
        gate.Passed.ShouldBeTrue();
        gate.Metric.ShouldBe("auc");
        gate.Value.ShouldBe(result.Headline["auc"]);
    }

    [Fact]
    public void A_failing_gate_throws_naming_the_parameter_and_writes_nothing()
    {
        var dir = churn.NewDirectory("evaluation");
        var e = Should.Throw<QualityGateException>(() =>
            EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, new EvaluateSettings(new QualityGatePolicy("auc", 0.99, 0.01)), dir));
        e.Message.ShouldStartWith("Quality gate failed: AUC");
        e.Message.ShouldContain("--gate-threshold");
        e.Message.ShouldContain("Test metrics: accuracy "); // the metrics next to the threshold
        e.Message.ShouldContain(", log_loss ");
        Directory.Exists(dir).ShouldBeFalse();
    }

    [Fact]
    public void A_champion_much_better_than_the_model_fails_the_gate()
    {
        var e = Should.Throw<QualityGateException>(() => EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec,
            Lenient with { Champion = new ChampionModel("v7", 0.99) }, churn.NewDirectory("evaluation")));
        e.Message.ShouldContain("worse than champion v7");
        e.Message.ShouldContain("--champion-tolerance");
    }

    [Fact]
    public void Explain_ranks_the_raw_columns_and_draws_them()
    {
        var dir = churn.NewDirectory("explain");
        var result = ExplainStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, dir, repeats: 2, maxRows: 1000);
        result.Rows.ShouldBeLessThanOrEqualTo(1000);
        result.Importances.Count.ShouldBe(churn.Definition.Spec.Features.Count);
        result.Importances[0].Drop.ShouldBeGreaterThan(0.01); // contract / tenure matter for churn
        File.Exists(result.Files.Png).ShouldBeTrue();
        File.ReadAllText(result.Files.Markdown).ShouldContain("| 1 |");
    }

    [Fact]
    public void Export_writes_onnx_that_matches_mlnet_within_the_tolerance()
    {
        var dir = churn.NewDirectory("export");
        var result = ExportStage.Run(churn.ModelPath, churn.Prepared, dir);
        result.Parity.MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
        result.Parity.Rows.ShouldBeGreaterThan(1000);
        var parity = ParityReport.Read(Path.Combine(dir, ParityReport.FileName));
        parity.Inputs.Count.ShouldBe(churn.Definition.Spec.Features.Count);
        parity.Output.ShouldBe("Probability.output");
        parity.Classes.ShouldBeNull();
    }

    [Fact]
    public void Export_fails_and_removes_the_onnx_file_when_parity_is_worse_than_the_tolerance()
    {
        var dir = churn.NewDirectory("export");
        // A negative tolerance no difference can meet: exercises the failure path on a real export.
        Should.Throw<ML.Export.OnnxParityException>(() => ExportStage.Run(churn.ModelPath, churn.Prepared, dir, tolerance: -1));
        File.Exists(Path.Combine(dir, ExportStage.OnnxFile)).ShouldBeFalse();
    }

    [Fact]
    public void Monitor_without_monthly_batches_says_to_use_a_time_split()
    {
        var e = Should.Throw<InvalidOperationException>(() => MonitorStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, churn.NewDirectory("monitor")));
        e.Message.ShouldContain("--split Time");
    }

    [Fact]
    public void Monitor_records_auc_per_batch()
    {
        // Two "months" made of the real test rows: even and odd rows.
        var prepared = churn.NewDirectory("prepared-batches");
        Directory.CreateDirectory(prepared);
        var test = ParquetTable.ReadDataFrame(Path.Combine(churn.Prepared, ML.Stages.PrepareStage.TestFile));
        var even = new Microsoft.Data.Analysis.PrimitiveDataFrameColumn<bool>("k", Enumerable.Range(0, (int)test.Rows.Count).Select(i => i % 2 == 0));
        var odd = new Microsoft.Data.Analysis.PrimitiveDataFrameColumn<bool>("k", Enumerable.Range(0, (int)test.Rows.Count).Select(i => i % 2 == 1));
        ParquetTable.Write(test.Filter(even), Path.Combine(prepared, ML.Stages.PrepareStage.BatchFile(2001, 5)));
        ParquetTable.Write(test.Filter(odd), Path.Combine(prepared, ML.Stages.PrepareStage.BatchFile(2001, 6)));

        var dir = churn.NewDirectory("monitor");
        var batches = MonitorStage.Run(churn.ModelPath, prepared, churn.Definition.Spec, dir);
        batches.Select(b => b.Batch).ShouldBe(["2001-05", "2001-06"]);
        batches.Sum(b => b.Rows).ShouldBe(test.Rows.Count);
        batches.ShouldAllBe(b => b.Auc > 0.75);
        MonitorReport.Read(Path.Combine(dir, MonitorReport.FileName)).Batches.ShouldBe(batches);
    }

    [Fact]
    public void Register_records_lineage_promotes_the_first_model_and_skips_the_same_digest()
    {
        var root = AbsolutePath.Create(churn.NewDirectory("repo"));
        var registry = ModelRegistry.ForModel(root, churn.Definition.ModelName, FileSystemModelBlobStore.ForRepository(root));
        var lineage = new TrainingLineage(new Dictionary<string, string> { ["data/telco-churn.csv"] = "xxh3:abc" }, "code-1", new Dictionary<string, string> { ["Trees"] = "30" });
        var request = new RegisterRequest(churn.ModelPath, lineage, new Dictionary<string, double> { ["auc"] = 0.84 }, GatePassed: true, PromotionPolicy.Default, GitCommit: "unknown");
        var receipt = Path.Combine(root, "registration.json");

        var first = RegisterStage.Run(registry, request, receipt);
        first.RegisteredNow.ShouldBeTrue();
        first.Promotion.Promoted.ShouldBeTrue();
        first.Aliases.ShouldBe(["challenger", "champion"]);
        registry.Get("champion").CodeFingerprint.ShouldBe("code-1");
        registry.Get("champion").DataDigests["data/telco-churn.csv"].ShouldBe("xxh3:abc");
        RegisterStage.ReadVersion(receipt).ShouldBe(1);
        first.Change.ShouldBe("customer-churn v1 registered: AUC 0.8400, promoted to champion (the first)");

        var again = RegisterStage.Run(registry, request, receipt);
        again.RegisteredNow.ShouldBeFalse();
        again.Version.Version.ShouldBe(1);
        registry.Versions().Count.ShouldBe(1);
        again.Change.ShouldBe("customer-churn not registered: identical to v1");
    }

    [Fact]
    public void Register_again_of_a_known_model_leaves_its_blob_alone_and_writes_the_same_receipt()
    {
        var root = AbsolutePath.Create(churn.NewDirectory("repo"));
        var store = FileSystemModelBlobStore.ForRepository(root);
        var registry = ModelRegistry.ForModel(root, churn.Definition.ModelName, store);
        var lineage = new TrainingLineage(new Dictionary<string, string>(), "code", new Dictionary<string, string>());
        var request = new RegisterRequest(churn.ModelPath, lineage, new Dictionary<string, double> { ["auc"] = 0.84 }, GatePassed: true, PromotionPolicy.Default, GitCommit: "unknown");
        var receipt = Path.Combine(root, RegisterStage.ReceiptFile);
        var first = RegisterStage.Run(registry, request, receipt);
        var receiptBytes = File.ReadAllBytes(receipt);
        var blob = store.PathOf(first.Version.ModelSha256);
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(blob, stamp);

        // A forced Register of the same model (this run neither registers nor promotes): the blob is not written again,
        // and the receipt — an input of Report and ModelCard — keeps its bytes, so they stay up to date.
        var again = RegisterStage.Run(registry, request, receipt);
        again.RegisteredNow.ShouldBeFalse();
        again.Promotion.Promoted.ShouldBeFalse();
        File.GetLastWriteTimeUtc(blob).ShouldBe(stamp);
        File.ReadAllBytes(receipt).ShouldBe(receiptBytes);
        var read = RegistrationReceipt.Read(receipt);
        (read.Model, read.Version, read.ModelSha256).ShouldBe(("customer-churn", 1, first.Version.ModelSha256));
        read.AliasesAtRegistration.ShouldBe(["challenger", "champion"]);

        // A store that lost the blob (a fresh clone) or holds a damaged one (wrong length) gets it back from the model file.
        File.Delete(blob);
        RegisterStage.Run(registry, request, receipt);
        File.ReadAllBytes(blob).ShouldBe(File.ReadAllBytes(churn.ModelPath));
        File.WriteAllText(blob, "truncated");
        RegisterStage.Run(registry, request, receipt);
        File.ReadAllBytes(blob).ShouldBe(File.ReadAllBytes(churn.ModelPath));
        File.ReadAllBytes(receipt).ShouldBe(receiptBytes);
    }

    [Fact]
    public void Register_promotes_a_challenger_only_when_it_beats_the_champion_by_the_margin()
    {
        var root = AbsolutePath.Create(churn.NewDirectory("repo"));
        var registry = ModelRegistry.ForModel(root, churn.Definition.ModelName, FileSystemModelBlobStore.ForRepository(root));
        var lineage = new TrainingLineage(new Dictionary<string, string>(), "code", new Dictionary<string, string>());
        var receipt = Path.Combine(root, "registration.json");
        RegisterStage.Run(registry, new(churn.ModelPath, lineage, new Dictionary<string, double> { ["auc"] = 0.80 }, true, PromotionPolicy.Default, "unknown"), receipt);

        // A different model file (another digest): a retrained model.
        var other = Path.Combine(root, "other.zip");
        TrainStage.Run(churn.Prepared, churn.Definition.Spec, ChurnStagesFixture.SmallModel with { Trees = 31 }, other);
        var small = RegisterStage.Run(registry, new(other, lineage, new Dictionary<string, double> { ["auc"] = 0.805 }, true, new PromotionPolicy(Margin: 0.01), "unknown"), receipt);
        small.RegisteredNow.ShouldBeTrue();
        small.Promotion.Promoted.ShouldBeFalse();
        small.Promotion.Reason.ShouldContain("does not beat");
        registry.Get("champion").Version.ShouldBe(1);
        registry.Get("challenger").Version.ShouldBe(2);
        small.Change.ShouldBe("customer-churn v2 registered: AUC 0.8050 (+0.0050), champion unchanged");

        var better = Path.Combine(root, "better.zip");
        TrainStage.Run(churn.Prepared, churn.Definition.Spec, ChurnStagesFixture.SmallModel with { Trees = 32 }, better);
        var promoted = RegisterStage.Run(registry, new(better, lineage, new Dictionary<string, double> { ["auc"] = 0.83 }, true, new PromotionPolicy(Margin: 0.01), "unknown"), receipt);
        promoted.Change.ShouldBe("customer-churn v3 registered: AUC 0.8300 (+0.0300), promoted to champion (was v1)");
        var worse = RegisterStage.Run(registry, new(other, lineage, new Dictionary<string, double> { ["auc"] = 0.70 }, false, PromotionPolicy.Default, "unknown"), receipt);
        worse.Change.ShouldBe("customer-churn v4 registered: AUC 0.7000 (-0.1300), champion unchanged: the quality gate failed");

        var file = Path.Combine(root, RegistryChange.FileName);
        new RegistryChange(worse.Change).Write(file);
        File.ReadAllText(file).ShouldBe(worse.Change + "\n");
        RegistryChange.Read(file).Summary.ShouldBe(worse.Change);
        File.WriteAllText(file, "two\nlines\n");
        Should.Throw<InvalidDataException>(() => RegistryChange.Read(file)).Message.ShouldContain("exactly one non-empty line");
    }

    [Fact]
    public void Lineage_comes_from_the_records_of_the_pipelines_ingest_prepare_and_train_instances()
    {
        ManifestEntry[] none = [];
        const string Raw = "0123456789abcdef0123456789abcdef", Ingested = "11111111111111111111111111111111";
        const string Prepared = "22222222222222222222222222222222", Other = "33333333333333333333333333333333";
        LockEntry Entry(string code, IReadOnlyDictionary<string, string> parameters, ManifestEntry[] inputs, ManifestEntry[] outputs) =>
            new("fp", code, null, parameters, new Dictionary<string, string>(), inputs, outputs, new Dictionary<string, double>());
        var entries = new Dictionary<string, LockEntry>
        {
            ["Ingest@CustomerChurn"] = Entry("c-ingest", new Dictionary<string, string> { ["MaxRejectedFraction"] = "0.01" }, [new("data/telco-churn.csv", 10, Raw)], [new("artifacts/x/ingested", 5, Ingested, 3)]),
            ["Prepare@CustomerChurn"] = Entry("c-prep", new Dictionary<string, string> { ["Seed"] = "42" }, [new("artifacts/x/ingested", 5, Ingested, 3)], [new("artifacts/x/prepared", 4, Prepared, 3)]),
            ["Train@CustomerChurn"] = Entry("c-train", new Dictionary<string, string> { ["Trees"] = "200" }, [new("artifacts/x/prepared", 4, Prepared, 3)], none),
            // Another pipeline's instance in the same lock: never part of this lineage.
            ["Train@Penguins"] = Entry("c-other", new Dictionary<string, string> { ["Leaves"] = "4" }, [new("artifacts/p/prepared", 4, Other, 3)], none),
        };
        TargetRecords Records() => TargetRecords.Parse(LockFile.Serialize(entries), "pipelines.lock");

        var lineage = TrainingLineage.FromRecords(Records(), "Ingest@CustomerChurn", "Prepare@CustomerChurn", "Train@CustomerChurn");
        lineage.CodeFingerprint.ShouldBe("c-train");
        lineage.DataDigests.ShouldBe(new Dictionary<string, string> { ["artifacts/x/prepared"] = "xxh3:" + Prepared, ["data/telco-churn.csv"] = "xxh3:" + Raw });
        lineage.Parameters.Keys.ShouldBe(["MaxRejectedFraction", "Seed", "Trees"]);

        entries.Remove("Train@CustomerChurn");
        Should.Throw<InvalidOperationException>(() => TrainingLineage.FromRecords(Records(), "Ingest@CustomerChurn", "Prepare@CustomerChurn", "Train@CustomerChurn"))
            .Message.ShouldContain("run Train@CustomerChurn");
    }

    [Fact]
    public void Report_carries_the_registered_model()
    {
        var root = AbsolutePath.Create(churn.NewDirectory("repo"));
        var evaluation = Path.Combine(root, "evaluation");
        var explain = Path.Combine(root, "explain");
        var export = Path.Combine(root, "export");
        var evaluated = EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, Lenient, evaluation);
        ExplainStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, explain, repeats: 1, maxRows: 500);
        ExportStage.Run(churn.ModelPath, churn.Prepared, export, maxRows: 500);
        var registry = ModelRegistry.ForModel(root, churn.Definition.ModelName, FileSystemModelBlobStore.ForRepository(root));
        var lineage = new TrainingLineage(new Dictionary<string, string> { ["data/telco-churn.csv"] = "xxh3:feed" }, "code-7", new Dictionary<string, string> { ["Trees"] = "30" });
        var receipt = Path.Combine(root, RegisterStage.ReceiptFile);
        RegisterStage.Run(registry, new(churn.ModelPath, lineage, evaluated.Headline, true, PromotionPolicy.Default, "0123456789abcdef0123456789abcdef01234567"), receipt);

        var html = File.ReadAllText(ReportStage.Run(new ReportInputs("CustomerChurn", [new("Pipeline", "CustomerChurn")],
            churn.IngestDirectory, evaluation, explain, registry, RegisterStage.ReadVersion(receipt)), Path.Combine(root, "report", ReportStage.ReportFile)));
        html.ShouldContain("customer-churn v1");
        html.ShouldContain("code-7");
        html.ShouldContain("xxh3:feed");
        html.ShouldContain("senior_citizen");
        html.ShouldContain("tenure");
        html.ShouldContain("data:image/png;base64,");
        html.ShouldNotContain("src=\"/"); // self-contained: no file references
    }

    [Fact]
    public void The_catalog_refuses_a_time_split_for_churn_and_a_bad_train_fraction()
    {
        Should.Throw<ArgumentException>(() => CustomerChurnPipeline.Definition.Split(SplitKind.Time, 0.8, 42)).Message.ShouldContain("--split Random");
        Should.Throw<ArgumentOutOfRangeException>(() => FlightDelaysPipeline.Definition.Split(SplitKind.Random, 1.5, 42)).Message.ShouldContain("--train-fraction");
        FlightDelaysPipeline.Definition.Split(SplitKind.Time, 0.8, 42).ShouldBeOfType<ML.Features.TimeSplit>();
    }
}
