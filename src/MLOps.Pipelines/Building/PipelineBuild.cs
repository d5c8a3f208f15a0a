using System.Linq.Expressions;

namespace MLOps.Pipelines;

/// <summary>What every build and build component can see: the repository's well-known folders.</summary>
public interface IPipelineBuild
{
    /// <summary>The repository root: the folder holding <c>.nuke/</c>.</summary>
    AbsolutePath RootDirectory { get; }
    /// <summary><c>artifacts/</c>: what targets produce for people (reports, packages).</summary>
    AbsolutePath ArtifactsDirectory { get; }
    /// <summary><c>.nuke/temp/</c>: scratch space, git-ignored.</summary>
    AbsolutePath TemporaryDirectory { get; }
    /// <summary>True on a CI server (the <c>CI</c> environment variable is set).</summary>
    bool IsServerBuild { get; }
}

/// <summary>
/// The base of a build class: declare <see cref="Target"/> properties and <c>[Parameter]</c> members, and start with
/// <c>public static int Main() => Execute&lt;Build&gt;(x => x.Default);</c>
/// </summary>
public abstract class PipelineBuild : IPipelineBuild
{
    /// <summary>Set by the host before the build is constructed, so field initializers may use it.</summary>
    [ThreadStatic] static AbsolutePath? s_rootForConstruction;

    protected PipelineBuild() =>
        RootDirectory = s_rootForConstruction ?? Building.RootDirectoryLocator.Locate(null, Directory.GetCurrentDirectory());

    public AbsolutePath RootDirectory { get; }
    public AbsolutePath ArtifactsDirectory => RootDirectory / "artifacts";
    public AbsolutePath TemporaryDirectory => RootDirectory / ".nuke" / "temp";
    public bool IsServerBuild => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Runs the build with the process's command line; returns the exit code (0 success, 1 a target failed, 2 bad usage).</summary>
    protected static int Execute<T>(params Expression<Func<T, Target>>[] defaultTargets) where T : PipelineBuild, new() =>
        Execute(Environment.GetCommandLineArgs().Skip(1).ToArray(), defaultTargets);

    /// <summary>Runs the build with the given arguments (tests, embedding).</summary>
    public static int Execute<T>(string[] args, params Expression<Func<T, Target>>[] defaultTargets) where T : PipelineBuild, new() =>
        Execute(args, Console.Out, Console.Error, defaultTargets);

    internal static int Execute<T>(string[] args, TextWriter output, TextWriter error, params Expression<Func<T, Target>>[] defaultTargets)
        where T : PipelineBuild, new()
    {
        var defaults = defaultTargets.Select(Building.TargetExpression.MemberName).ToList();
        return Building.BuildHost.Run(args, root =>
        {
            s_rootForConstruction = root;
            try { return new T(); }
            finally { s_rootForConstruction = null; }
        }, defaults, output, error);
    }
}
