using System.Globalization;
using MLOps.Pipelines;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.Serving.Delivery;
using Pipelines;

/// <summary>
/// This repository's ML pipelines as targets: Ingest → Prepare → Train → Evaluate → Explain / Export → Register →
/// Report / Package → Deploy, plus Monitor (drift on later months, time split) and Rollback. Each pipeline writes under
/// artifacts/&lt;model&gt;/ (<see cref="PipelineArtifacts"/>), so pipelines never overwrite each other. The stage logic lives in
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
    [Parameter("Which pipeline: FlightDelays (default), CustomerChurn or Penguins (multiclass)")] readonly Pipeline Pipeline = Pipeline.FlightDelays;
    [Parameter("Raw data file to ingest instead of the pipeline's file under data/", MustExist = true)] readonly AbsolutePath? RawData;
    [Parameter("Ingest fails when more than this share of rows breaks the schema contract", Min = 0, Max = 1)] readonly double MaxRejectedFraction = 0.01;
    [Parameter("How Prepare splits: Random (seeded) or Time (train Jan–Apr, test May–Jun; FlightDelays only)")] readonly SplitKind Split = SplitKind.Random;
    [Parameter("Seed of the random split and of training")] readonly int Seed = 42;
    [Parameter("Share of rows the random split trains on", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)] readonly double TrainFraction = 0.8;

    // ---- training ----
    // Unset, each takes the pipeline's own default (a 3M-row and a 344-row data set want different trees).
    [Parameter("Trainer: LightGbm, FastTree (binary only) or Sdca; default: the pipeline's")] readonly TrainerKind? Trainer;
    [Parameter("Boosting rounds (trees), or SDCA passes; default: the pipeline's", Min = 1)] readonly int? Trees;
    [Parameter("Leaves per tree; default: the pipeline's", Min = 2)] readonly int? Leaves;
    [Parameter("Learning rate; default: the pipeline's", Min = 0, ExclusiveMin = true)] readonly double? LearningRate;
    [Parameter("Minimum examples per leaf; default: the pipeline's", Min = 1)] readonly int? MinExamplesPerLeaf;
    [Parameter("Training threads (LightGBM's OpenMP threads busy-wait unless set)", Min = 1)] readonly int Threads = Environment.ProcessorCount;

    // ---- gate, registry, deployment ----
    [Parameter("Quality gate: the least test value of the pipeline's gate metric (AUC, macro-F1; the most for a loss); default: the pipeline's")] readonly double? GateThreshold;
    [Parameter("Quality gate: how much worse than the registered champion's gate metric a model may be", Min = 0, Max = 1)] readonly double ChampionTolerance = 0.01;
    [Parameter("Promotion: how much a challenger must beat the champion by on the pipeline's promotion metric", Min = 0, Max = 1)] readonly double PromotionMargin = 0.0;
    [Parameter("Why the champion is rolled back (Rollback)")] readonly string? Reason;
    [Parameter("Deployment environment (Deploy, Rollback)")] readonly string DeployEnvironment = DeployOptions.DefaultEnvironment;
    [Parameter("Where Deploy runs the server: docker or process; default: docker where an engine answers, else process")] readonly string? DeployTarget;
    [Parameter("The stable port the deployed server answers on (http://127.0.0.1:PORT)", Min = 1, Max = 65535)] readonly int ServePort = DeployOptions.DefaultPort;
    [Parameter("OCI registry (host:port) Package pushes the image to; none: no push")] readonly string? ImageRegistry;

    // ---- CI ----
    [Parameter("GitLab base URL, for GitLabSchedules")] readonly string GitlabUrl = "https://gitlab.com";
    [Parameter("GitLab project id or URL-encoded path, for GitLabSchedules")] readonly string? GitlabProject;
    [Parameter("GitLab API token (api scope); without one GitLabSchedules prints the requests"), Secret] readonly string? GitlabToken;

    PipelineDefinition Definition => PipelineCatalog.Get(Pipeline);
    PipelineArtifacts Paths => Definition.Artifacts(RootDirectory, ArtifactsDirectory);
    AbsolutePath RawFile => RawData ?? Definition.RawDataPath(RootDirectory);

    DeliverySettings Delivery => new(Definition, Paths.Prepared, Paths.IngestedData,
        RootDirectory / "src" / "MLOps.Pipelines.Serving.Host" / "MLOps.Pipelines.Serving.Host.csproj", RootDirectory / ".nuke" / "temp" / "delivery");
    DeployOptions DeployOptions => new(DeployEnvironment, DeployTarget, ServePort);

    ModelRegistry Registry => ModelRegistry.ForModel(RootDirectory, Definition.ModelName, FileSystemModelBlobStore.ForRepository(RootDirectory));

    Target Ingest => _ => _
        .Description("Read the raw data against the schema contract: typed Parquet, quality report, quarantine")
        .Inputs(RawFile)
        .Outputs(Paths.Ingested)
        .Executes(async cancellationToken =>
        {
            var result = await IngestStage.RunAsync(RawFile, Definition.Schema, Paths.Ingested,
                new IngestOptions { MaxRejectedFraction = MaxRejectedFraction }, cancellationToken);
            var q = result.Quality;
            Console.WriteLine(Invariant($"{q.File}: {q.RowsAccepted:N0} of {q.RowsRead:N0} rows accepted, {q.RowsRejected:N0} quarantined ({q.RejectedFraction:P3}), {q.DuplicateRows:N0} duplicates"));
        });

    Target Prepare => _ => _
        .Description("Compute the features and split into train/test (and monthly batches for a time split)")
        .DependsOn(Ingest)
        .Inputs(Paths.IngestedData)
        .Outputs(Paths.Prepared)
        .Executes(async cancellationToken =>
        {
            var result = await MLOps.Pipelines.ML.Features.PrepareStage.RunAsync(
                Paths.IngestedData, Definition.Features, Definition.Split(Split, TrainFraction, Seed), Paths.Prepared, cancellationToken);
            Console.WriteLine(Invariant($"{Split} split: {result.TrainRows:N0} train rows, {result.TestRows:N0} test rows, {result.DroppedRows:N0} dropped (no label)") +
                              (result.Batches.Count > 0 ? "; batches " + string.Join(", ", result.Batches.Keys) : ""));
        });

    /// <summary>The pipeline's training defaults with whatever the command line overrides.</summary>
    TrainingOptions TrainingOptions => Definition.Training with
    {
        Trainer = Trainer ?? Definition.Training.Trainer,
        Trees = Trees ?? Definition.Training.Trees,
        Leaves = Leaves ?? Definition.Training.Leaves,
        LearningRate = LearningRate ?? Definition.Training.LearningRate,
        MinExamplesPerLeaf = MinExamplesPerLeaf ?? Definition.Training.MinExamplesPerLeaf,
        Seed = Seed,
        Threads = Threads,
    };

    Target Train => _ => _
        .Description("Fit the model (ML.NET LightGBM by default) on the training rows")
        .DependsOn(Prepare)
        .Inputs(Paths.TrainData)
        .Outputs(Paths.Model)
        .Executes(() =>
        {
            var options = TrainingOptions;
            var result = TrainStage.Run(Paths.Prepared, Definition.Spec, options, Paths.Model);
            Console.WriteLine(Invariant($"{options.Trainer} ({Definition.Task}): {options.Trees} trees, {options.Leaves} leaves, learning rate {options.LearningRate} on {result.TrainRows:N0} rows in {result.FitTime.TotalSeconds:0.0} s ({Threads} threads)"));
        });

    Target Evaluate => _ => _
        .Description("Score the test rows: metrics, plots, fairness by group, quality gate, metrics diff")
        .DependsOn(Train)
        .Inputs(Paths.Model, Paths.TestData)
        .Outputs(Paths.Evaluation)
        .Executes(() =>
        {
            var sameRun = new Dictionary<string, string> { [nameof(Pipeline)] = Pipeline.ToString() };
            var gate = new QualityGatePolicy(Definition.GateMetric, GateThreshold ?? Definition.GateThreshold, ChampionTolerance);
            var settings = new EvaluateSettings(gate, Champion(Registry, gate.Metric),
                HeadlineMetrics.FromLock(HeadlineMetrics.WorkingLock(RootDirectory), nameof(Evaluate), sameRun),
                HeadlineMetrics.FromLock(HeadlineMetrics.CommittedLock(RootDirectory), nameof(Evaluate), sameRun));
            var result = EvaluateStage.Run(Paths.Model, Paths.Prepared, Definition.Spec, settings, Paths.Evaluation);
            foreach (var (name, value) in result.Headline) TargetMetrics.Record(name, value);
            Console.WriteLine(string.Join(", ", Definition.Task.HeadlineMetrics.Where(result.Headline.ContainsKey)
                .Select(m => Invariant($"{ModelTask.Display(m)} {result.Headline[m]:0.0000}"))) + Invariant($" on {result.Metrics.Rows:N0} rows"));
            foreach (var c in result.Multiclass?.PerClass ?? [])
                Console.WriteLine(Invariant($"class {c.Class}: precision {c.Precision:0.000}, recall {c.Recall:0.000}, F1 {c.F1:0.000} on {c.Support:N0} rows"));
            foreach (var g in result.Binary?.Groups ?? [])
                Console.WriteLine(Invariant($"by {g.Column}: demographic-parity difference {g.DemographicParityDifference:0.000}, equal-opportunity difference {g.EqualOpportunityDifference:0.000}"));
            Console.WriteLine(result.Gate.Message);
            Console.Write("against the previous run:\n" + (settings.PreviousRun is null ? "no previous run of this pipeline\n" : MetricsDiff.Format(result.DiffToPreviousRun, "previous", "now")));
            Console.Write("against the committed pipelines.lock:\n" + (settings.Committed is null ? "no committed metrics of this pipeline\n" : MetricsDiff.Format(result.DiffToCommitted, "committed", "now")));
        });

    static ChampionModel? Champion(ModelRegistry registry, string metric)
    {
        if (!registry.Aliases().ContainsKey(ModelAliases.Champion)) return null;
        var champion = registry.Get(ModelAliases.Champion);
        return champion.Metrics.TryGetValue(metric, out var value) ? new ChampionModel($"v{champion.Version}", value) : null;
    }

    Target Explain => _ => _
        .Description("Permutation feature importance on the test rows (the task's metric), as a table and a plot")
        .DependsOn(Train)
        .Inputs(Paths.Model, Paths.TestData)
        .Outputs(Paths.Explanation)
        .Executes(() =>
        {
            var result = ExplainStage.Run(Paths.Model, Paths.Prepared, Definition.Spec, Paths.Explanation, Seed);
            Console.WriteLine(Invariant($"{ModelTask.Display(Definition.Task.PrimaryMetric)} drop on {result.Rows:N0} test rows: ") + string.Join(", ",
                result.Importances.Take(5).Select(i => Invariant($"{i.Feature} {i.Drop:0.0000}"))));
        });

    Target Export => _ => _
        .Description("Export the model and its featurization to ONNX; check it against ML.NET (fails above 1e-5)")
        .DependsOn(Train)
        .Inputs(Paths.Model, Paths.TestData, Paths.IngestedData)
        .Outputs(Paths.Exported)
        .Executes(() =>
        {
            var result = ExportStage.Run(Paths.Model, Paths.Prepared, Paths.Exported);
            ServingDirectory.Write(Paths.Exported, Definition, Paths.IngestedData, ServingDirectory.UnregisteredVersion);
            Console.WriteLine(result.Parity.ToString());
        });

    Target Register => _ => _
        .Description("Register the model with its lineage; set challenger; promote to champion when it beats it")
        .DependsOn(Evaluate, Export)
        .Inputs(Paths.Model, Paths.Metrics, Paths.Gate)
        .Outputs(Paths.Receipt)
        // The registry lives outside the outputs: never up to date or restored unless it holds the receipt's version.
        .Verifies(() => RegisterStage.IsRecorded(Registry, Paths.Receipt), $"models/{Definition.ModelName}/registry.json holds the receipt's version and model digest")
        .Executes(() =>
        {
            var lineage = TrainingLineage.FromLock(HeadlineMetrics.WorkingLock(RootDirectory), nameof(Ingest), nameof(Prepare), nameof(Train));
            var promotion = new PromotionPolicy(Definition.PromotionMetric, PromotionMargin, ModelTask.HigherIsBetter(Definition.PromotionMetric));
            var request = new RegisterRequest(Paths.Model, lineage.WithTraining(TrainingOptions), HeadlineMetrics.Read(Paths.Metrics),
                GateVerdict.Read(Paths.Gate).Passed, promotion);
            var result = RegisterStage.Run(Registry, request, Paths.Receipt);
            Console.WriteLine((result.RegisteredNow ? $"registered {Registry.ModelName} v{result.Version.Version}" : $"{Registry.ModelName} v{result.Version.Version} is this model already")
                              + $" (sha256 {result.Version.ModelSha256[..12]}); {result.Promotion.Reason}; aliases: {string.Join(", ", result.Aliases)}");
        });

    Target Report => _ => _
        .Description("One self-contained HTML report: metrics, plots, data quality, fairness, importance, lineage")
        .DependsOn(Register, Explain)
        .Inputs(Paths.Receipt, Paths.Evaluation, Paths.Explanation, Paths.Quality, Paths.RegistryFile)
        .Outputs(Paths.Report)
        .Executes(() =>
        {
            var version = RegistrationReceipt.Read(Paths.Receipt).Version;
            var inputs = new ReportInputs($"{Pipeline} — {Definition.ModelName} v{version}",
                [new("Pipeline", Pipeline.ToString()), new("Raw data", RawFile.Name), new("Split", Split.ToString())],
                Paths.Ingested, Paths.Evaluation, Paths.Explanation, Registry, version);
            Console.WriteLine($"report: {ReportStage.Run(inputs, Paths.Report)}");
        });

    Target Package => _ => _
        .Description("Build the model server's OCI image with the registry's champion (model in its own layer); push it with --image-registry")
        .DependsOn(Register, Export)
        .Executes(async cancellationToken =>
        {
            var result = await MLOps.Pipelines.Serving.Delivery.PackageStage.RunAsync(Registry, Delivery, ImageRegistry, cancellationToken);
            Console.WriteLine(Invariant($"package: {result.Image.Tag} {result.Image.ImageDigest} ({result.Image.CompressedBytes / 1e6:0.0} MB) → {result.DockerArchive}")
                              + (result.Push is { } push ? Invariant($"; pushed to {result.Image.PushedTo} ({push.BlobsUploaded} blobs, {push.BytesUploaded:N0} bytes sent)") : ""));
        });

    Target Deploy => _ => _
        .Description("Put the registry's champion in service blue/green behind http://127.0.0.1:<serve-port> after the golden check")
        .DependsOn(Package)
        .Executes(async cancellationToken =>
        {
            var result = await MLOps.Pipelines.Serving.Delivery.DeployStage.RunAsync(Registry, Delivery, DeployOptions, cancellationToken);
            Console.WriteLine($"serving {result.Server.Release} at {result.Url} ({result.Server.Runtime}, '{DeployEnvironment}')");
        });

    Target Monitor => _ => _
        .Description("Score the later monthly batches (time split) and record AUC per batch: the drift signal")
        .DependsOn(Train)
        .After(Deploy)
        .OnlyWhenStatic(() => Split == SplitKind.Time)
        .Inputs(Paths.Model, Paths.Prepared)
        .Outputs(Paths.Monitoring)
        .Executes(() =>
        {
            foreach (var batch in MonitorStage.Run(Paths.Model, Paths.Prepared, Definition.Spec, Paths.Monitoring))
            {
                TargetMetrics.Record("auc_" + batch.Batch.Replace('-', '_'), batch.Auc);
                Console.WriteLine(Invariant($"{batch.Batch}: AUC {batch.Auc:0.0000}, log-loss {batch.LogLoss:0.0000}, positive rate {batch.PositiveRate:0.000} on {batch.Rows:N0} rows"));
            }
        });

    Target Rollback => _ => _
        .Description("Move the champion back to the version it held before (--reason says why) and deploy it")
        .Requires(() => Reason)
        .Executes(async cancellationToken =>
        {
            var result = await RollbackStage.RunAsync(Registry, Delivery, Reason!, DeployOptions, ImageRegistry, cancellationToken);
            Console.WriteLine($"{Registry.ModelName}: champion v{result.Move.From} → v{result.Move.To} ({result.Move.Why}); serving {result.Deployment.Server.Release} at {result.Deployment.Url}");
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
