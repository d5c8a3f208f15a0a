namespace MLOps.Pipelines.CI;

/// <summary>What GitHub Actions and GitLab CI pipelines have in common; see the two attributes deriving from it.</summary>
public abstract class CiAttribute : Attribute
{
    /// <summary>Events that start the pipeline. A cron schedule is added with <see cref="OnCronSchedule"/>.</summary>
    public CiTrigger[] On { get; set; } = [];

    /// <summary>Branch globs a push must match (e.g. <c>main</c>, <c>release/*</c>); requires <see cref="CiTrigger.Push"/>.</summary>
    public string[] OnPushBranches { get; set; } = [];

    /// <summary>Tag globs a push must match (e.g. <c>v*</c>); requires <see cref="CiTrigger.Push"/>.</summary>
    public string[] OnPushTags { get; set; } = [];

    /// <summary>Path globs of which at least one must change for a push to start the pipeline.</summary>
    public string[] OnPushPaths { get; set; } = [];

    /// <summary>Target branch globs of a pull/merge request; requires <see cref="CiTrigger.PullRequest"/>.</summary>
    public string[] OnPullRequestBranches { get; set; } = [];

    /// <summary>Path globs of which at least one must change for a pull/merge request to start the pipeline.</summary>
    public string[] OnPullRequestPaths { get; set; } = [];

    /// <summary>A five-field cron expression (minute hour day month weekday), e.g. <c>0 3 * * *</c>; validated.</summary>
    public string? OnCronSchedule { get; set; }

    /// <summary>The targets the pipeline runs; each target of their dependency closure gets a job.</summary>
    public string[] InvokedTargets { get; set; } = [];

    /// <summary>
    /// Secrets imported as environment variables, by name: a [Secret] parameter's member, CLI or environment name
    /// (exported under its environment name), or a plain variable name. Values are never written into the file.
    /// </summary>
    public string[] ImportSecrets { get; set; } = [];

    /// <summary>Per-job time limit in minutes; 0 leaves the platform's default.</summary>
    public int TimeoutMinutes { get; set; }

    /// <summary>
    /// GitHub: the workflow's concurrency group (expressions allowed, e.g. <c>ci-${{ github.ref }}</c>).
    /// GitLab: the jobs' <c>resource_group</c>.
    /// </summary>
    public string? ConcurrencyGroup { get; set; }

    /// <summary>GitHub: cancel a running workflow of the same group. GitLab: jobs are <c>interruptible</c>.</summary>
    public bool ConcurrencyCancelInProgress { get; set; }

    /// <summary>Deployment environment (e.g. <c>production</c>) of the jobs running <see cref="EnvironmentTargets"/>.</summary>
    public string? Environment { get; set; }

    /// <summary>Targets whose jobs deploy into <see cref="Environment"/>; empty means the invoked targets.</summary>
    public string[] EnvironmentTargets { get; set; } = [];

    /// <summary>
    /// Parameters offered as inputs of a manual run (member, CLI or environment name): bool → boolean,
    /// enum → choice, others → string. Implies <see cref="CiTrigger.WorkflowDispatch"/>.
    /// </summary>
    public string[] DispatchInputs { get; set; } = [];

    /// <summary>
    /// Targets that share one job instead of one job each, as <c>"job-name: TargetA, TargetB"</c>.
    /// Targets not named here get a job of their own.
    /// </summary>
    public string[] JobGroups { get; set; } = [];

    /// <summary>Extra artifact paths per target, as <c>"Target: path/to/file, path/to/dir/"</c>.</summary>
    public string[] ArtifactPaths { get; set; } = [];

    /// <summary>Upload each job's artifact paths (names unique per run) and hand them to downstream jobs.</summary>
    public bool PublishArtifacts { get; set; } = true;

    /// <summary>Name of the CI variable holding the remote cache URL (GitHub: <c>vars.X</c>; GitLab: <c>$X</c>).</summary>
    public string? RemoteCacheUrlVariable { get; set; }

    /// <summary>Name of the CI secret holding the remote cache's bearer token.</summary>
    public string? RemoteCacheTokenSecret { get; set; }

    /// <summary>Let this pipeline's jobs push to the remote cache (trusted pipelines only).</summary>
    public bool RemoteCachePush { get; set; }

    /// <summary>
    /// Globs of files outside the targets' outputs that jobs change and later jobs read (e.g. <c>models/*/registry.json</c>):
    /// a job that changes one hands it to the jobs after it with its lock entries (its job state).
    /// </summary>
    public string[] StatePaths { get; set; } = [];

    /// <summary>
    /// Paths (git pathspecs) a last job commits and pushes back to the branch the pipeline ran on, after merging every
    /// job's state (e.g. <c>pipelines.lock</c>, <c>models/*/registry.json</c>); empty adds no such job. Nothing changed:
    /// the job succeeds without a commit. GitHub pushes with the workflow's token (grant <c>contents: write</c>);
    /// GitLab with the project access token in <see cref="GitLabAttribute.CommitBackTokenVariable"/>.
    /// </summary>
    public string[] CommitBackPaths { get; set; } = [];

    /// <summary>
    /// Name of the files whose lines, concatenated, are the commit-back message (found anywhere under
    /// <see cref="CommitMessageFolder"/> in the jobs' artifacts); when none exists the message is <see cref="CommitMessageFallback"/>.
    /// </summary>
    public string? CommitMessageFile { get; set; }

    /// <summary>The folder searched for <see cref="CommitMessageFile"/>.</summary>
    public string CommitMessageFolder { get; set; } = "artifacts";

    /// <summary>The commit-back message when no <see cref="CommitMessageFile"/> was written.</summary>
    public string CommitMessageFallback { get; set; } = "CI: record this run's state";

    /// <summary>
    /// Name of a manual-run input (GitHub <c>workflow_dispatch</c>) or variable (GitLab; upper-cased, '-' as '_') that
    /// limits a run to the family instances of one key (e.g. <c>pipeline</c>: <c>CustomerChurn</c>); empty runs all.
    /// </summary>
    public string? InstanceInput { get; set; }
}
