namespace MLOps.Pipelines.Internal.CI;

/// <summary>
/// What the CI generators need to know about a build: its targets and parameters. The engine builds it from the
/// target graph and the [Parameter]/[Secret] members; the generators are pure functions of it and the attributes.
/// </summary>
internal sealed record CiBuild(IReadOnlyList<CiTarget> Targets, IReadOnlyList<CiParameter> Parameters)
{
    /// <summary>The bootstrapper a job runs, relative to the repository root.</summary>
    public string BuildScript { get; init; } = "./build.sh";

    /// <summary>The content-addressed store the CI cache saves and restores.</summary>
    public string ContentStorePath { get; init; } = ".nuke/cache";

    /// <summary>Where jobs keep the state folders they hand to later jobs (see <c>--job-state-out</c>).</summary>
    public string JobStateFolder { get; init; } = ".nuke/temp/job-state";

    /// <summary>The bootstrapper's compiled programs (one folder per source hash), cached so that a job does not compile the build again.</summary>
    public string BuildProgramPath { get; init; } = ".nuke/temp/build-bin";

    /// <summary>Files whose content decides the compiled build program (GitHub <c>hashFiles</c> patterns).</summary>
    public IReadOnlyList<string> BuildProgramKeyFiles { get; init; } = ["build/**", "src/**", "pipelines/**", "Directory.*.props", "global.json"];

    /// <summary>Files whose content keys the CI cache (GitHub <c>hashFiles</c> patterns).</summary>
    public IReadOnlyList<string> CacheKeyFiles { get; init; } = ["pipelines.lock", "build/**", "src/**", "pipelines/**"];

    /// <summary>GitLab allows at most two <c>cache:key:files</c>.</summary>
    public IReadOnlyList<string> GitLabCacheKeyFiles { get; init; } = ["pipelines.lock", "global.json"];

    /// <summary>Environment variables the engine reads for the remote cache (URL, bearer token, push opt-in).</summary>
    public string RemoteCacheUrlEnvironmentVariable { get; init; } = "PIPELINES_REMOTE_CACHE_URL";
    public string RemoteCacheTokenEnvironmentVariable { get; init; } = "PIPELINES_REMOTE_CACHE_TOKEN";
    public string RemoteCachePushEnvironmentVariable { get; init; } = "PIPELINES_REMOTE_CACHE_PUSH";

    internal CiTarget? FindTarget(string name) => Targets.FirstOrDefault(t => t.Name == name);

    /// <summary>The targets a name in an attribute stands for: a target, or every instance of a family; empty when unknown.</summary>
    internal IReadOnlyList<string> Expand(string name) =>
        FindTarget(name) is { } target ? [target.Name] : Targets.Where(t => t.Family == name).Select(t => t.Name).ToList();

    /// <summary>True when the name is a target or a family of the build.</summary>
    internal bool Declares(string name) => Targets.Any(t => t.Name == name || t.Family == name);

    /// <summary>Environment variables every job gets, as the build declares them (<c>[CiEnvironmentVariable]</c>), in declaration order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Environment variables every job takes from a CI/CD variable (<c>[CiVariable]</c>), in declaration order.</summary>
    public IReadOnlyList<CiVariable> Variables { get; init; } = [];

    /// <summary>Finds a parameter by member name, CLI name or environment variable name.</summary>
    internal CiParameter? FindParameter(string name) => Parameters.FirstOrDefault(p =>
        p.MemberName == name || p.CliName == name || p.EnvironmentName == name);
}

/// <param name="EnvironmentName">The environment variable the engine reads (a parameter's, e.g. <c>MODEL_STORE</c>).</param>
/// <param name="VariableName">The CI/CD variable it comes from (GitHub <c>vars.X</c>, GitLab <c>$X</c>).</param>
internal sealed record CiVariable(string EnvironmentName, string VariableName);

/// <param name="Name">The target's name, as typed on the command line (<c>./build.sh Train</c>).</param>
/// <param name="Description">One line shown in the CI job's display name.</param>
/// <param name="DependsOn">Names of the targets this one directly depends on.</param>
internal sealed record CiTarget(string Name, string Description, IReadOnlyList<string> DependsOn)
{
    /// <summary>
    /// Paths (relative to the repository root, '/' separated) the job uploads as artifacts: reports, metrics, models.
    /// A directory ends with '/'; the download side needs to know where the upload's root was.
    /// </summary>
    public IReadOnlyList<string> ArtifactPaths { get; init; } = [];

    /// <summary>The family (<c>Train</c>) of an instance (<c>Train@FlightDelays</c>); null for a plain target.</summary>
    public string? Family { get; init; }

    /// <summary>True for a target that declares no outputs: it always runs, and leaves no up-to-date state for a later job.</summary>
    public bool AlwaysRuns { get; init; }

    /// <summary>
    /// Targets this one runs after when both run (<c>After</c>, or their <c>Before</c>), without depending on them: in a
    /// pipeline that runs both, their jobs come first, as one process would order them.
    /// </summary>
    public IReadOnlyList<string> OrderedAfter { get; init; } = [];
}

internal enum CiParameterKind
{
    Bool,
    Enum,
    Number,
    String,
    Array,
}

/// <param name="MemberName">The C# member name (<c>LearningRate</c>).</param>
/// <param name="CliName">The kebab-case command-line name without dashes (<c>learning-rate</c>).</param>
/// <param name="EnvironmentName">The environment variable the engine reads (<c>LEARNING_RATE</c>).</param>
/// <param name="DefaultValue">The default as the CLI would accept it, or null when there is none.</param>
internal sealed record CiParameter(
    string MemberName,
    string CliName,
    string EnvironmentName,
    CiParameterKind Kind,
    string? DefaultValue,
    string Description,
    bool IsSecret)
{
    /// <summary>The allowed values of an enum parameter, in declaration order.</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];
}
