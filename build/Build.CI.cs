using MLOps.Pipelines;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.Serving.Components;

// The CI side of the build: the generated workflows (./build.sh --generate-ci) and the targets only CI uses. Every
// family named here (Report, Monitor, Deploy) becomes one job per pipeline.
[CiEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE")] // LightGBM's OpenMP threads busy-wait unless set before the process starts
// The shared model store (--model-store) from a repository/project variable, e.g. oci://registry.example.com:5000/models:
// Register pushes each binary there, and Package, Deploy and Rollback on other runners fetch it by digest. Unset: each
// runner's local .nuke/cache/models (enough for one machine, not for jobs on separate runners).
[CiVariable(nameof(IHazModelStore.ModelStore), "MLOPS_MODEL_STORE")]
[GitHubActions("ci",
    On = [CiTrigger.Push, CiTrigger.PullRequest], OnPushBranches = ["main"], OnPullRequestBranches = ["main"],
    InvokedTargets = [nameof(CheckCi), nameof(IReport.Report)], TimeoutMinutes = 60,
    ConcurrencyGroup = "ci", ConcurrencyCancelInProgress = true, RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE",
    StatePaths = [RegistryMetadata])]
[GitHubActions("nightly-retrain",
    OnCronSchedule = "0 3 * * *", InvokedTargets = [nameof(IReport.Report), nameof(IRetrain.Retrain), nameof(IModelCard.ModelCard)],
    DispatchInputs = [nameof(ITrain.Trainer), nameof(ITrain.Trees), nameof(ITrain.Leaves), nameof(ITrain.LearningRate)],
    TimeoutMinutes = 120, ConcurrencyGroup = "nightly-retrain", RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE", RemoteCachePush = true,
    WritePermissions = [GitHubActionsPermission.Contents], InstanceInput = "pipeline",
    CommitBackPaths = ["pipelines.lock", RegistryMetadata], CommitMessageFile = RegistryChangeFile, CommitMessageFallback = NightlyFallbackMessage,
    ArtifactPaths = [MonitorDecision])]
// Deploy runs in its own job: it gets from Register's job the registry (the champion alias) and from Package's job
// what Package wrote outside declared outputs: the image record beside the registry, and the published server, the
// champion's model folder and its image (OCI layout + docker-archive) under artifacts/delivery/<pipeline>/.
[GitHubActions("deploy",
    On = [CiTrigger.WorkflowDispatch], InvokedTargets = [nameof(IDeploy.Deploy)],
    DispatchInputs = [nameof(IHazDelivery.DeployEnvironment), nameof(IHazDelivery.DeployTarget)],
    Environment = "production", EnvironmentTargets = [nameof(IDeploy.Deploy)], ConcurrencyGroup = "deploy", TimeoutMinutes = 60,
    RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE",
    ArtifactPaths = [RegistryOfFlightDelays, RegistryOfCustomerChurn, RegistryOfPenguins, PackageOfFlightDelays, PackageOfCustomerChurn, PackageOfPenguins])]
[GitLab("ci", On = [CiTrigger.Push, CiTrigger.PullRequest], OnPushBranches = ["main"], InvokedTargets = [nameof(CheckCi), nameof(IReport.Report)], TimeoutMinutes = 60,
    RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE", InstanceInput = "pipeline",
    StatePaths = [RegistryMetadata])]
[GitLab("nightly-retrain", OnCronSchedule = "0 3 * * *", InvokedTargets = [nameof(IReport.Report), nameof(IRetrain.Retrain), nameof(IModelCard.ModelCard)], TimeoutMinutes = 120, RemoteCachePush = true, RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE",
    InstanceInput = "pipeline", CommitBackPaths = ["pipelines.lock", RegistryMetadata], CommitMessageFile = RegistryChangeFile, CommitMessageFallback = NightlyFallbackMessage,
    ArtifactPaths = [MonitorDecision])]
// GitLab's dispatch: "Run pipeline" (CI_PIPELINE_SOURCE == "web") with PIPELINE set runs that pipeline's deploy chain;
// its jobs hand each other what the GitHub deploy workflow's do.
[GitLab("deploy", On = [CiTrigger.WorkflowDispatch], InvokedTargets = [nameof(IDeploy.Deploy)], InstanceInput = "pipeline",
    DispatchInputs = [nameof(IHazDelivery.DeployEnvironment), nameof(IHazDelivery.DeployTarget)],
    Environment = "production", EnvironmentTargets = [nameof(IDeploy.Deploy)], ConcurrencyGroup = "deploy", TimeoutMinutes = 60,
    RemoteCacheUrlVariable = "MLOPS_REMOTE_CACHE", ArtifactPaths = [RegistryOfFlightDelays, RegistryOfCustomerChurn, RegistryOfPenguins, PackageOfFlightDelays, PackageOfCustomerChurn, PackageOfPenguins])]
sealed partial class Build
{
    // The registry's reviewable metadata: written by Register outside its outputs, handed from job to job and committed
    // back by the nightly run, whose commit message is the lines Register writes into each registry-change.txt.
    const string RegistryMetadata = "models/*/registry.json";
    const string RegistryChangeFile = "registry-change.txt";
    // Monitor declares no outputs (it always runs); its decision and reports reach Retrain's job as artifacts.
    const string MonitorDecision = "Monitor: artifacts/*/monitor/";
    // What Deploy's job needs from Register's and Package's jobs beyond their declared outputs (both deploy pipelines).
    const string RegistryOfFlightDelays = "Register@FlightDelays: models/flight-delays/registry.json";
    const string RegistryOfCustomerChurn = "Register@CustomerChurn: models/customer-churn/registry.json";
    const string RegistryOfPenguins = "Register@Penguins: models/penguins/registry.json";
    const string PackageOfFlightDelays = "Package@FlightDelays: models/flight-delays/images/, artifacts/delivery/FlightDelays/server/, artifacts/delivery/FlightDelays/flight-delays/";
    const string PackageOfCustomerChurn = "Package@CustomerChurn: models/customer-churn/images/, artifacts/delivery/CustomerChurn/server/, artifacts/delivery/CustomerChurn/customer-churn/";
    const string PackageOfPenguins = "Package@Penguins: models/penguins/images/, artifacts/delivery/Penguins/server/, artifacts/delivery/Penguins/penguins/";
    const string NightlyFallbackMessage = "nightly-retrain: record the retrained models (no registry change summary was written)";

    [Parameter("GitLab base URL, for GitLabSchedules")] readonly string GitlabUrl = "https://gitlab.com";
    [Parameter("GitLab project id or URL-encoded path, for GitLabSchedules")] readonly string? GitlabProject;
    [Parameter("GitLab API token (api scope); without one GitLabSchedules prints the requests"), Secret] readonly string? GitlabToken;

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
}
