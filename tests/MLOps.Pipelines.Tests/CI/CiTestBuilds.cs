using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>Build descriptions as the engine would produce them from a build class.</summary>
internal static class CiTestBuilds
{
    /// <summary>An ML build: Prepare → (Train, Validate) → Evaluate → Register → Deploy; Report hangs off Evaluate.</summary>
    public static CiBuild Demo { get; } = new(
        [
            new CiTarget("Prepare", "Split and clean the raw data", []) { ArtifactPaths = ["artifacts/prepared/"] },
            new CiTarget("Validate", "Check the data's schema and ranges", ["Prepare"]) { ArtifactPaths = ["artifacts/validation.json"] },
            new CiTarget("Train", "Fit the model", ["Prepare"]) { ArtifactPaths = ["artifacts/model/", "artifacts/train-metrics.json"] },
            new CiTarget("Evaluate", "Score the model on the test split", ["Train", "Validate"]) { ArtifactPaths = ["artifacts/reports/evaluation.html"] },
            new CiTarget("Report", "Render the report", ["Evaluate"]),
            new CiTarget("Register", "Add the model to the registry", ["Evaluate"]),
            new CiTarget("Deploy", "Roll the model out", ["Register"]),
        ],
        [
            new CiParameter("Trees", "trees", "TREES", CiParameterKind.Number, "200", "Boosting rounds", false),
            new CiParameter("Booster", "booster", "BOOSTER", CiParameterKind.Enum, "Gbdt", "Boosting algorithm", false) { EnumValues = ["Gbdt", "Dart", "Goss"] },
            new CiParameter("Explain", "explain", "EXPLAIN", CiParameterKind.Bool, "true", "Compute SHAP values", false),
            new CiParameter("SchemaVersion", "schema-version", "SCHEMA_VERSION", CiParameterKind.String, "1.10", "Schema version", false),
            new CiParameter("Features", "features", "FEATURES", CiParameterKind.Array, null, "Feature columns", false),
            new CiParameter("RegistryToken", "registry-token", "REGISTRY_TOKEN", CiParameterKind.String, null, "Model registry token", true),
        ])
    {
        Environment = [new("OMP_WAIT_POLICY", "PASSIVE")],
    };

    /// <summary>The diamond: B and C depend on A, D depends on B and C.</summary>
    public static CiBuild Diamond { get; } = new(
        [
            new CiTarget("A", "a", []) { ArtifactPaths = ["out/a/"] },
            new CiTarget("B", "b", ["A"]) { ArtifactPaths = ["out/b.txt"] },
            new CiTarget("C", "c", ["A"]),
            new CiTarget("D", "d", ["B", "C"]) { ArtifactPaths = ["out/d/"] },
        ],
        []);

    /// <summary>Two families and a plain target: Prepare@K → Train@K per key; Report needs every Train instance.</summary>
    public static CiBuild Families { get; } = new(
        [
            new CiTarget("Prepare@FlightDelays", "Prepare one data set", []) { Family = "Prepare", ArtifactPaths = ["artifacts/flight-delays/prepared/"] },
            new CiTarget("Prepare@CustomerChurn", "Prepare one data set", []) { Family = "Prepare", ArtifactPaths = ["artifacts/customer-churn/prepared/"] },
            new CiTarget("Train@FlightDelays", "Fit one model", ["Prepare@FlightDelays"]) { Family = "Train", ArtifactPaths = ["artifacts/flight-delays/model/"] },
            new CiTarget("Train@CustomerChurn", "Fit one model", ["Prepare@CustomerChurn"]) { Family = "Train", ArtifactPaths = ["artifacts/customer-churn/model/"] },
            new CiTarget("Report", "Render the report", ["Train@FlightDelays", "Train@CustomerChurn"]),
        ],
        [])
    {
        Environment = [new("OMP_WAIT_POLICY", "PASSIVE")],
    };

    public static GitHubActionsAttribute GitHubCi() => new("ci")
    {
        On = [CiTrigger.Push, CiTrigger.PullRequest],
        OnPushBranches = ["main", "release/*"],
        OnPullRequestBranches = ["main"],
        InvokedTargets = ["Evaluate"],
        TimeoutMinutes = 30,
        ConcurrencyGroup = "ci-${{ github.ref }}",
        ConcurrencyCancelInProgress = true,
    };

    public static GitHubActionsAttribute GitHubNightly() => new("nightly-retrain")
    {
        On = [CiTrigger.WorkflowDispatch],
        OnCronSchedule = "0 3 * * *",
        InvokedTargets = ["Deploy", "Report"],
        DispatchInputs = ["Trees", "Booster", "Explain", "SchemaVersion"],
        ImportSecrets = ["RegistryToken"],
        Environment = "production",
        EnvironmentTargets = ["Deploy"],
        WritePermissions = [GitHubActionsPermission.IdToken],
        ReadPermissions = [GitHubActionsPermission.Contents],
        RemoteCacheUrlVariable = "PIPELINES_CACHE_URL",
        RemoteCacheTokenSecret = "PIPELINES_CACHE_TOKEN",
        RemoteCachePush = true,
    };

    public static GitLabAttribute GitLabCi() => new()
    {
        On = [CiTrigger.Push, CiTrigger.PullRequest],
        OnPushBranches = ["main", "release/*"],
        InvokedTargets = ["Evaluate"],
        TimeoutMinutes = 30,
        ConcurrencyCancelInProgress = true,
    };

    public static GitLabAttribute GitLabNightly() => new("nightly-retrain")
    {
        OnCronSchedule = "0 3 * * *",
        CronTimezone = "Europe/Berlin",
        InvokedTargets = ["Deploy"],
        DispatchInputs = ["Trees", "Booster", "Explain"],
        ImportSecrets = ["RegistryToken"],
        Environment = "production",
        EnvironmentTargets = ["Deploy"],
        ConcurrencyGroup = "retraining",
        RemoteCacheUrlVariable = "PIPELINES_CACHE_URL",
        RemoteCacheTokenSecret = "PIPELINES_CACHE_TOKEN",
        RemoteCachePush = true,
    };
}
