using System.Linq.Expressions;

namespace MLOps.Pipelines;

/// <summary>
/// The base of a build class: declare <see cref="Target"/> properties and <c>[Parameter]</c> members, and start with
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Default);</c>
/// </summary>
public abstract class PipelineBuild : IPipelineBuild
{
    /// <summary>Set by the host before the build is constructed, so field initializers may use it.</summary>
    [ThreadStatic] static AbsolutePath? s_rootForConstruction;

    protected PipelineBuild() =>
        RootDirectory = s_rootForConstruction ?? Internal.Building.RootDirectoryLocator.Locate(null, Directory.GetCurrentDirectory());

    public AbsolutePath RootDirectory { get; }
    public AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";
    public bool IsServerBuild => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>The graph and parameters of this invocation, set by the host before any target runs.</summary>
    internal Internal.Building.BuildDescription? Description { get; set; }

    /// <summary>
    /// Fails when the committed CI files (<c>.github/workflows/*.yml</c>, <c>.gitlab-ci.yml</c>) differ from what this
    /// build's attributes generate, naming the files and the command that fixes them. Call it from a target CI runs.
    /// </summary>
    protected void CheckCiConfiguration()
    {
        var description = Description ?? throw new InvalidOperationException("CheckCiConfiguration is only valid while the build runs.");
        var files = Internal.CI.CiConfiguration.Generate(GetType(), description.Graph, description.Parameters, RootDirectory);
        var check = Internal.CI.CiConfiguration.Check(files, RootDirectory);
        if (!check.InSync) throw new InvalidOperationException(check.Describe());
        Console.WriteLine($"CI configuration is in sync with the build ({files.Count} files).");
    }

    /// <summary>
    /// Creates or updates, through GitLab's Pipeline Schedules API, the schedules this build's <c>[GitLab]</c>
    /// attributes declare (GitLab cannot read them from YAML). Without a token nothing is sent: the returned text is
    /// the exact requests to make. Returns one text per schedule.
    /// </summary>
    protected async Task<IReadOnlyList<string>> SyncGitLabSchedulesAsync(Uri gitLabUrl, string projectId, string? token, CancellationToken cancellationToken = default)
    {
        var attributes = GetType().GetCustomAttributes(typeof(CI.GitLabAttribute), inherit: true).Cast<CI.GitLabAttribute>().ToList();
        var texts = new List<string>();
        foreach (var schedule in Internal.CI.GitLabCiGenerator.Schedules(attributes))
            texts.Add((await Internal.CI.Schedules.GitLabPipelineSchedules.CreateOrUpdateAsync(gitLabUrl, projectId, token, schedule, cancellationToken).ConfigureAwait(false)).Text);
        return texts;
    }

    /// <summary>Runs the build with the process's command line; returns the exit code (0 success, 1 a target failed, 2 bad usage).</summary>
    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets) where T : PipelineBuild, new() =>
        Execute(Environment.GetCommandLineArgs().Skip(1).ToArray(), defaultTargets);

    /// <summary>Runs the build with the given arguments (tests, embedding).</summary>
    public static int Execute<T>(string[] args, params Expression<Func<T, Target>>[] defaultTargets) where T : PipelineBuild, new() =>
        Execute(args, Console.Out, Console.Error, defaultTargets);

    internal static int Execute<T>(string[] args, TextWriter output, TextWriter error, params Expression<Func<T, Target>>[] defaultTargets)
        where T : PipelineBuild, new()
    {
        var defaults = defaultTargets.Select(Internal.Building.TargetExpression.MemberName).ToList();
        return Internal.Building.BuildHost.Run(args, root =>
        {
            s_rootForConstruction = root;
            try { return new T(); }
            finally { s_rootForConstruction = null; }
        }, defaults, output, error);
    }
}
