using System.Linq.Expressions;

namespace MLOps.Pipelines.Tests.Engine;

/// <summary>An in-process run of a test build in a fresh repository root; targets log to <c>log.txt</c> there.</summary>
internal sealed class BuildRun : IDisposable
{
    readonly TemporaryDirectory _folder = new("mlops-engine-");

    public BuildRun() => _folder.CreateDirectory(".nuke");

    public AbsolutePath Root => _folder.Path;
    public int ExitCode { get; private set; }
    public string Output { get; private set; } = "";
    public string Error { get; private set; } = "";

    /// <summary>The target names in the order the targets logged them.</summary>
    public IReadOnlyList<string> Log => File.Exists(Root / "log.txt") ? File.ReadAllLines(Root / "log.txt") : [];

    public BuildRun Run<T>(string args, params Expression<Func<T, Target>>[] defaults) where T : PipelineBuild, new()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Append("--root").Append(Root.ToString()).ToArray();
        ExitCode = PipelineBuild.Execute(argv, output, error, defaults);
        Output = output.ToString();
        Error = error.ToString();
        return this;
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>Base of the test builds: a target body that records its name.</summary>
internal abstract class LoggingBuild : PipelineBuild
{
    static readonly Lock s_gate = new();

    protected void Record(string name)
    {
        lock (s_gate) File.AppendAllLines(RootDirectory / "log.txt", [name]);
    }
}

/// <summary>In-process builds swap Console.Out while running in parallel; keep them sequential.</summary>
[CollectionDefinition(nameof(InProcessBuilds), DisableParallelization = true)]
public sealed class InProcessBuilds;
