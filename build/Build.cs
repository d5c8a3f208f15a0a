using System.Globalization;
using MLOps.Pipelines;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Training;
using Pipelines;

/// <summary>
/// This repository's ML pipelines as targets: Ingest → Prepare → Train → Evaluate → Explain / Export → Register →
/// Report / Package → Deploy, plus Monitor (drift on later months, time split) and Rollback. Each pipeline writes under
/// artifacts/&lt;pipeline&gt;/, so FlightDelays and CustomerChurn never overwrite each other. The stage logic lives in
/// src/MLOps.Pipelines.ML/Stages; this class only wires paths and parameters. A target reads only the parameters it
/// needs, so changing a hyperparameter re-runs Train and what follows, never Ingest or Prepare.
/// </summary>
[CiEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE")] // LightGBM's OpenMP threads busy-wait unless set before the process starts
[GitHubActions("ci",
    On = [CiTrigger.Push, CiTrigger.PullRequest], OnPushBranches = ["main"], OnPullRequestBranches = ["main"],
    InvokedTargets = [nameof(CheckCi), nameof(Report)], TimeoutMinutes = 60,
    ConcurrencyGroup = "ci", ConcurrencyCancelInProgress = true, RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE")]
[GitHubActions("nightly-retrain",
    OnCronSchedule = "0 3 * * *", InvokedTargets = [nameof(Report), nameof(Monitor)],
    DispatchInputs = [nameof(Pipeline), nameof(Trainer), nameof(Trees), nameof(Leaves), nameof(LearningRate)],
    TimeoutMinutes = 120, ConcurrencyGroup = "nightly-retrain", RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE", RemoteCachePush = true,
    WritePermissions = [GitHubActionsPermission.Contents])]
[GitHubActions("deploy",
    On = [CiTrigger.WorkflowDispatch], InvokedTargets = [nameof(Deploy)], DispatchInputs = [nameof(DeployEnvironment)],
    Environment = "production", EnvironmentTargets = [nameof(Deploy)], ConcurrencyGroup = "deploy", TimeoutMinutes = 60,
    RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE")]
[GitLab("ci", On = [CiTrigger.Push, CiTrigger.PullRequest], OnPushBranches = ["main"], InvokedTargets = [nameof(CheckCi), nameof(Report)], TimeoutMinutes = 60)]
[GitLab("nightly-retrain", OnCronSchedule = "0 3 * * *", InvokedTargets = [nameof(Report), nameof(Monitor)], TimeoutMinutes = 120, RemoteCachePush = true)]
sealed class Build : PipelineBuild
{
    public static int Main() => Execute<Build>(x => x.Evaluate);

    // ---- data ----
    [Parameter("Which pipeline: FlightDelays (default) or CustomerChurn")] readonly Pipeline Pipeline = Pipeline.FlightDelays;
    [Parameter("Raw data file to ingest instead of the pipeline's file under data/", MustExist = true)] readonly AbsolutePath? RawData;
    [Parameter("Ingest fails when more than this share of rows breaks the schema contract", Min = 0, Max = 1)] readonly double MaxRejectedFraction = 0.01;
    [Parameter("How Prepare splits: Random (seeded) or Time (train Jan–Apr, test May–Jun; FlightDelays only)")] readonly SplitKind Split = SplitKind.Random;
    [Parameter("Seed of the random split and of training")] readonly int Seed = 42;
    [Parameter("Share of rows the random split trains on", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)] readonly double TrainFraction = 0.8;

    // ---- training ----
    [Parameter("Trainer: LightGbm, FastTree or Sdca")] readonly TrainerKind Trainer = TrainerKind.LightGbm;
    [Parameter("Boosting rounds (trees), or SDCA passes", Min = 1)] readonly int Trees = 250;
    [Parameter("Leaves per tree", Min = 2)] readonly int Leaves = 255;
    [Parameter("Learning rate", Min = 0, ExclusiveMin = true)] readonly double LearningRate = 0.12;
    [Parameter("Minimum examples per leaf", Min = 1)] readonly int MinExamplesPerLeaf = 20;
    [Parameter("Training threads (LightGBM's OpenMP threads busy-wait unless set)", Min = 1)] readonly int Threads = Environment.ProcessorCount;

    // ---- gate, registry, deployment ----
    [Parameter("Quality gate: the least test AUC a model must reach", Min = 0, Max = 1)] readonly double MinAuc = 0.65;
    [Parameter("Quality gate: how much worse than the registered champion's AUC a model may be", Min = 0, Max = 1)] readonly double ChampionTolerance = 0.01;
    [Parameter("Promotion: how much a challenger's AUC must beat the champion's by", Min = 0, Max = 1)] readonly double PromotionMargin = 0.0;
    [Parameter("Why the champion is rolled back (Rollback)")] readonly string? Reason;
    [Parameter("Deployment environment, e.g. staging; Deploy is skipped without one")] readonly string? DeployEnvironment;

    // ---- CI ----
    [Parameter("GitLab base URL, for GitLabSchedules")] readonly string GitlabUrl = "https://gitlab.com";
    [Parameter("GitLab project id or URL-encoded path, for GitLabSchedules")] readonly string? GitlabProject;
    [Parameter("GitLab API token (api scope); without one GitLabSchedules prints the requests"), Secret] readonly string? GitlabToken;

    PipelineDefinition Definition => PipelineCatalog.Get(Pipeline);
    AbsolutePath Work => ArtifactsDirectory / Definition.Folder;
    AbsolutePath RawFile => RawData ?? RootDirectory / "data" / Definition.RawFile;
    AbsolutePath Ingested => Work / "ingested";
    AbsolutePath Prepared => Work / "prepared";
    AbsolutePath ModelFile => Work / "model" / TrainStage.ModelFile;
    AbsolutePath Evaluation => Work / "evaluation";
    AbsolutePath MetricsFile => Evaluation / "metrics.json";
    AbsolutePath Explanation => Work / "explain";
    AbsolutePath Exported => Work / "export";
    AbsolutePath Receipt => Work / RegisterStage.ReceiptFile;
    AbsolutePath ReportFile => Work / "report" / ReportStage.ReportFile;
    AbsolutePath PackageFile => Work / "package" / $"{Definition.ModelName}.zip";
    AbsolutePath Monitoring => Work / "monitor";

    ModelRegistry Registry => ModelRegistry.ForModel(RootDirectory, Definition.ModelName, FileSystemModelBlobStore.ForRepository(RootDirectory));

    Target Ingest => _ => _
        .Description("Read the raw data against the schema contract: typed Parquet, quality report, quarantine")
        .Inputs(RawFile)
        .Outputs(Ingested)
        .Executes(async cancellationToken =>
        {
            var result = await IngestStage.RunAsync(RawFile, Definition.Schema, Ingested,
                new IngestOptions { MaxRejectedFraction = MaxRejectedFraction }, cancellationToken);
            var q = result.Quality;
            Console.WriteLine(Invariant($"{q.File}: {q.RowsAccepted:N0} of {q.RowsRead:N0} rows accepted, {q.RowsRejected:N0} quarantined ({q.RejectedFraction:P3}), {q.DuplicateRows:N0} duplicates"));
        });

    Target Prepare => _ => _
        .Description("Compute the features and split into train/test (and monthly batches for a time split)")
        .DependsOn(Ingest)
        .Inputs(Ingested / IngestStage.DataFile)
        .Outputs(Prepared)
        .Executes(async cancellationToken =>
        {
            var result = await MLOps.Pipelines.ML.Features.PrepareStage.RunAsync(
                Ingested / IngestStage.DataFile, Definition.Features, Definition.Split(Split, TrainFraction, Seed), Prepared, cancellationToken);
            Console.WriteLine(Invariant($"{Split} split: {result.TrainRows:N0} train rows, {result.TestRows:N0} test rows, {result.DroppedRows:N0} dropped (no label)") +
                              (result.Batches.Count > 0 ? "; batches " + string.Join(", ", result.Batches.Keys) : ""));
        });

    TrainingOptions TrainingOptions => new(Trainer, Trees, Leaves, LearningRate, MinExamplesPerLeaf, Seed, Threads);

    Target Train => _ => _
        .Description("Fit the model (ML.NET LightGBM by default) on the training rows")
        .DependsOn(Prepare)
        .Inputs(Prepared / "train.parquet")
        .Outputs(ModelFile)
        .Executes(() =>
        {
            var result = TrainStage.Run(Prepared, Definition.Spec, TrainingOptions, ModelFile);
            Console.WriteLine(Invariant($"{TrainingOptions.Trainer}: {TrainingOptions.Trees} trees, {TrainingOptions.Leaves} leaves on {result.TrainRows:N0} rows in {result.FitTime.TotalSeconds:0.0} s ({Threads} threads)"));
        });

    Target Evaluate => _ => _
        .Description("Score the test rows: metrics, curves, fairness by group, quality gate, metrics diff")
        .DependsOn(Train)
        .Inputs(ModelFile, Prepared / "test.parquet")
        .Outputs(Evaluation)
        .Executes(() =>
        {
            var sameRun = new Dictionary<string, string> { [nameof(Pipeline)] = Pipeline.ToString() };
            var settings = new EvaluateSettings(MinAuc, ChampionTolerance, Champion(Registry),
                HeadlineMetrics.FromLock(HeadlineMetrics.WorkingLock(RootDirectory), nameof(Evaluate), sameRun),
                HeadlineMetrics.FromLock(HeadlineMetrics.CommittedLock(RootDirectory), nameof(Evaluate), sameRun));
            var result = EvaluateStage.Run(ModelFile, Prepared, Definition.Spec, settings, Evaluation);
            foreach (var (name, value) in result.Headline) TargetMetrics.Record(name, value);
            var m = result.Evaluation.Metrics;
            Console.WriteLine(Invariant($"AUC {m.Auc:0.0000}, PR-AUC {m.PrAuc:0.0000}, accuracy {m.Accuracy:0.0000}, F1 {m.F1:0.0000}, log-loss {m.LogLoss:0.0000}, Brier {m.Brier:0.0000} on {m.Rows:N0} rows"));
            foreach (var g in result.Evaluation.Groups)
                Console.WriteLine(Invariant($"by {g.Column}: demographic-parity difference {g.DemographicParityDifference:0.000}, equal-opportunity difference {g.EqualOpportunityDifference:0.000}"));
            Console.WriteLine(result.Gate.Message);
            Console.Write("against the previous run:\n" + (settings.PreviousRun is null ? "no previous run of this pipeline\n" : MetricsDiff.Format(result.DiffToPreviousRun, "previous", "now")));
            Console.Write("against the committed pipelines.lock:\n" + (settings.Committed is null ? "no committed metrics of this pipeline\n" : MetricsDiff.Format(result.DiffToCommitted, "committed", "now")));
        });

    static ChampionModel? Champion(ModelRegistry registry)
    {
        if (!registry.Aliases().ContainsKey(ModelAliases.Champion)) return null;
        var champion = registry.Get(ModelAliases.Champion);
        return champion.Metrics.TryGetValue("auc", out var auc) ? new ChampionModel($"v{champion.Version}", auc) : null;
    }

    Target Explain => _ => _
        .Description("Permutation feature importance on the test rows, as a table and a plot")
        .DependsOn(Train)
        .Inputs(ModelFile, Prepared / "test.parquet")
        .Outputs(Explanation)
        .Executes(() =>
        {
            var result = ExplainStage.Run(ModelFile, Prepared, Definition.Spec, Explanation, Seed);
            Console.WriteLine(Invariant($"on {result.Rows:N0} test rows: ") + string.Join(", ",
                result.Importances.Take(5).Select(i => Invariant($"{i.Feature} {i.AucDrop:0.0000}"))));
        });

    Target Export => _ => _
        .Description("Export the model and its featurization to ONNX; check it against ML.NET (fails above 1e-5)")
        .DependsOn(Train)
        .Inputs(ModelFile, Prepared / "test.parquet")
        .Outputs(Exported)
        .Executes(() =>
        {
            var result = ExportStage.Run(ModelFile, Prepared, Exported);
            Console.WriteLine(result.Parity.ToString());
        });

    Target Register => _ => _
        .Description("Register the model with its lineage; set challenger; promote to champion when it beats it")
        .DependsOn(Evaluate, Export)
        .Inputs(ModelFile, MetricsFile, Evaluation / EvaluateStage.GateFile)
        .Outputs(Receipt)
        // The registry lives outside the outputs: never up to date or restored unless it holds the receipt's version.
        .Verifies(() => RegisterStage.IsRecorded(Registry, Receipt), $"models/{Definition.ModelName}/registry.json holds the receipt's version and model digest")
        .Executes(() =>
        {
            var lineage = TrainingLineage.FromLock(HeadlineMetrics.WorkingLock(RootDirectory), nameof(Ingest), nameof(Prepare), nameof(Train));
            var request = new RegisterRequest(ModelFile, lineage, HeadlineMetrics.Read(MetricsFile),
                EvaluateStage.ReadGate(Evaluation).Passed, new PromotionPolicy("auc", PromotionMargin));
            var result = RegisterStage.Run(Registry, request, Receipt);
            Console.WriteLine((result.RegisteredNow ? $"registered {Registry.ModelName} v{result.Version.Version}" : $"{Registry.ModelName} v{result.Version.Version} is this model already")
                              + $" (sha256 {result.Version.ModelSha256[..12]}); {result.Promotion.Reason}; aliases: {string.Join(", ", result.Aliases)}");
        });

    Target Report => _ => _
        .Description("One self-contained HTML report: metrics, plots, data quality, fairness, importance, lineage")
        .DependsOn(Register, Explain)
        .Inputs(Receipt, Evaluation, Explanation, Ingested / IngestStage.QualityFile)
        .Outputs(ReportFile)
        .Executes(() =>
        {
            var version = RegisterStage.ReadVersion(Receipt);
            var inputs = new ReportInputs($"{Pipeline} — {Definition.ModelName} v{version}",
                [new("Pipeline", Pipeline.ToString()), new("Raw data", RawFile.Name), new("Split", Split.ToString())],
                Ingested, Evaluation, Explanation, Registry, version);
            Console.WriteLine($"report: {ReportStage.Run(inputs, ReportFile)}");
        });

    Target Package => _ => _
        .Description("Zip the ONNX model with its metadata and metrics")
        .DependsOn(Register, Export)
        .Inputs(Exported, Receipt, MetricsFile)
        .Outputs(PackageFile)
        .Executes(() => Console.WriteLine($"package: {PackageStage.Run(Exported, Evaluation, Receipt, PackageFile)}"));

    Target Deploy => _ => _
        .Description("Unpack the package into artifacts/deployments/<environment>/")
        .DependsOn(Package)
        .OnlyWhenStatic(() => DeployEnvironment != null, "no --deploy-environment given (e.g. --deploy-environment staging)")
        .Executes(() => Console.WriteLine($"deployed to {DeployStage.Run(PackageFile, DeployEnvironment!, ArtifactsDirectory / "deployments")}"));

    Target Monitor => _ => _
        .Description("Score the later monthly batches (time split) and record AUC per batch: the drift signal")
        .DependsOn(Train)
        .After(Deploy)
        .OnlyWhenStatic(() => Split == SplitKind.Time)
        .Inputs(ModelFile, Prepared)
        .Outputs(Monitoring)
        .Executes(() =>
        {
            foreach (var batch in MonitorStage.Run(ModelFile, Prepared, Definition.Spec, Monitoring))
            {
                TargetMetrics.Record("auc_" + batch.Batch.Replace('-', '_'), batch.Auc);
                Console.WriteLine(Invariant($"{batch.Batch}: AUC {batch.Auc:0.0000}, log-loss {batch.LogLoss:0.0000}, positive rate {batch.PositiveRate:0.000} on {batch.Rows:N0} rows"));
            }
        });

    Target Rollback => _ => _
        .Description("Move the champion back to the version it held before (--reason says why)")
        .Requires(() => Reason)
        .Executes(() =>
        {
            var move = Registry.Rollback(Reason!);
            Console.WriteLine($"{Registry.ModelName}: champion v{move.From} → v{move.To} ({move.Why})");
        });

    Target CheckCi => _ => _
        .Description("Fail when the committed CI files differ from what this build generates (./build.sh --generate-ci fixes it)")
        .Executes(CheckCiConfiguration);

    Target GitLabSchedules => _ => _
        .Description("Create or update the GitLab pipeline schedules the [GitLab] attributes declare; without a token, print the requests")
        .Requires(() => GitlabProject)
        .Executes(async cancellationToken =>
        {
            foreach (var text in await SyncGitLabSchedulesAsync(new Uri(GitlabUrl), GitlabProject!, GitlabToken, cancellationToken))
                Console.WriteLine(text);
        });

    Target Noop => _ => _.Unlisted().Description("Does nothing: the floor of the bootstrapper benchmark").Executes(() => { });

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
