using System.Diagnostics;
using System.Runtime.InteropServices;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.Audit;
using MLOps.Pipelines.Internal.CI;
using MLOps.Pipelines.Internal.Cli;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Parameters;
using MLOps.Pipelines.Internal.Store;
using MLOps.Pipelines.Internal.CI.JobState;

namespace MLOps.Pipelines.Internal.Building;

/// <summary>
/// From a command line to an exit code: parse, locate the root, construct the build, resolve parameters, plan,
/// check requirements, run, summarize.
/// </summary>
internal static class BuildHost
{
    public const int Success = 0;
    public const int TargetFailed = 1;
    public const int BadUsage = 2;

    public static int Run(string[] args, Func<AbsolutePath, object> createBuild, IReadOnlyList<string> defaultTargets, TextWriter output, TextWriter error)
    {
        // Whatever escapes (a damaged lock, a disk error in the store) ends as one line and exit 1 or 2, never as an
        // unhandled exception (exit 134 and a stack trace); the trace only with --verbosity verbose.
        try
        {
            return RunCore(args, createBuild, defaultTargets, output, error);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
            var message = string.Join(' ', inner.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            error.WriteLine(inner is BuildConfigurationException or InvalidDataException ? $"error: {message}" : $"error: {inner.GetType().Name}: {message}");
            if (IsVerbose(args)) error.WriteLine(e);
            return inner is BuildConfigurationException or InvalidDataException ? BadUsage : TargetFailed;
        }
    }

    static bool IsVerbose(string[] args) =>
        args.Select((a, i) => a.Equals("--verbosity=verbose", StringComparison.OrdinalIgnoreCase)
            || (a.Equals("--verbosity", StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length && args[i + 1].Equals("verbose", StringComparison.OrdinalIgnoreCase))).Any(x => x);

    static int RunCore(string[] args, Func<AbsolutePath, object> createBuild, IReadOnlyList<string> defaultTargets, TextWriter output, TextWriter error)
    {
        var clock = Stopwatch.StartNew();
        Invocation invocation;
        try
        {
            invocation = Prepare(args, createBuild, defaultTargets);
        }
        catch (BuildConfigurationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadUsage;
        }

        var (commandLine, root, build, graph, parameters, plan, invoked) = invocation;
        if (commandLine.Help)
        {
            output.Write(HelpText.Render(graph, defaultTargets, parameters));
            return Success;
        }
        if (commandLine.VerifyAudit is { } auditLog) return VerifyAudit(root, auditLog, output, error);
        if (commandLine.GenerateCi || commandLine.CheckCi)
            return GenerateOrCheckCi(commandLine, root, build.GetType(), graph, parameters, output, error);
        if (commandLine.Plan)
        {
            var planned = plan.ToHashSet();
            var mermaid = MermaidPlan.Render(graph, planned);
            var page = root / ".nuke" / "temp" / "plan.html";
            Directory.CreateDirectory(page.Parent!);
            File.WriteAllText(page, MermaidPlan.Html(graph, planned, mermaid));
            output.Write(mermaid);
            output.WriteLine($"Plan written to {page.RelativeTo(root)}");
            return Success;
        }

        IReadOnlyDictionary<TargetNode, string> skips;
        CacheOptions cacheOptions;
        HashSet<TargetNode>? force;
        try
        {
            skips = PlanSkips(commandLine, graph, plan, invoked, parameters);
            force = ForcedTargets(commandLine, graph, plan, invoked);
            CheckRequirements(plan, skips, parameters);
            cacheOptions = CacheOptionsFor(commandLine, error) with
            {
                // Recovery checks a backup journal's paths against the outputs the build declares; a dry run moves nothing.
                DeclaredOutputs = target => graph.Targets.FirstOrDefault(t => t.Name == target)?.Definition.OutputPaths.Select(p => p.ToString()).ToList(),
                ReadOnly = commandLine.DryRun,
            };
            if (commandLine.PruneCache is { } pruneLimits) PruneLimits.Parse(pruneLimits); // usage errors before any work
        }
        catch (BuildConfigurationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadUsage;
        }

        using var cache = new TargetCache(root, cacheOptions);
        // A lock file that cannot be read is one line naming it (exit 2) before anything runs, not an error per target.
        try
        {
            cache.LockFile.Read();
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"error: {e.Message}");
            if (commandLine.Verbosity == Verbosity.Verbose) error.WriteLine(e);
            return BadUsage;
        }
        cache.RecoverInterruptedRuns(); // warns through CacheOptions.Warn about every run it recovers
        // CI: upstream jobs' lock entries and shared files first, so their targets are up to date here.
        if (commandLine.JobStateIn is { } upstream && !commandLine.DryRun)
        {
            output.WriteLine(JobStateFolder.Restore(root, cache.LockFile, upstream));
            if (commandLine.MergesJobStateOnly) return Success;
        }
        var jobStateBefore = commandLine.JobStateOut is null ? null : JobStateFolder.Snapshot(root, commandLine.JobStateFiles);
        if (commandLine.PruneCache is { } limits) return Prune(cache, limits, output, error);

        var specs = TargetSpecFactory.Create(build, graph, parameters, root, cacheOptions.Warn);
        var terse = commandLine.Verbosity < Verbosity.Normal;
        var executor = new IncrementalExecutor(cache, specs, node => force is not null && force.Contains(node),
            terse && !commandLine.DryRun ? TextWriter.Null : output, new OutputLocks(root, graph.Targets), parameters)
        {
            Verbose = commandLine.Verbosity == Verbosity.Verbose,
        };
        try
        {
            if (!commandLine.DryRun)
            {
                using var audit = RunAudit.Start(root, args, parameters);
                var exitCode = Execute(commandLine, plan, skips, executor, output, clock, out var results);
                audit.Finish(root, results, exitCode, error);
                if (exitCode == Success && commandLine.JobStateOut is { } jobState)
                    output.WriteLine(JobStateFolder.Save(root, cache.LockFile, jobState, invoked.Select(n => n.Name), commandLine.JobStateFiles, jobStateBefore!));
                return exitCode;
            }
            DryRun.Print(plan, skips, executor, output);
            return Success;
        }
        finally
        {
            specs.Save();
        }
    }

    static int GenerateOrCheckCi(CommandLine commandLine, AbsolutePath root, Type buildType, TargetGraph graph, IReadOnlyList<ResolvedParameter> parameters, TextWriter output, TextWriter error)
    {
        IReadOnlyList<KeyValuePair<string, string>> files;
        try
        {
            files = CiConfiguration.Generate(buildType, graph, parameters, root);
        }
        catch (CiConfigurationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadUsage;
        }
        if (commandLine.CheckCi)
        {
            var check = CiConfiguration.Check(files, root);
            if (check.InSync)
            {
                output.WriteLine($"CI configuration is in sync with the build ({files.Count} files).");
                return Success;
            }
            error.WriteLine(check.Describe());
            return TargetFailed;
        }
        foreach (var path in CiConfiguration.Write(files, root)) output.WriteLine($"wrote {path}");
        foreach (var schedule in CiConfiguration.Schedules(buildType, DateTimeOffset.UtcNow)) output.WriteLine(schedule);
        return Success;
    }

    static CacheOptions CacheOptionsFor(CommandLine commandLine, TextWriter error)
    {
        Action<string> warn = message => error.WriteLine($"warning: {message}");
        var fromEnvironment = CacheOptions.FromEnvironment(commandLine.NoCache, warn) with { Warn = warn };
        if (commandLine.RemoteCacheMaxBlob is { } maxBlob)
            fromEnvironment = fromEnvironment with { RemoteMaxBlobBytes = CacheOptions.ParseSize(maxBlob, "--remote-cache-max-blob") };
        if (commandLine.RemoteCache is null) return commandLine.RemoteCachePush ? fromEnvironment with { RemotePush = true } : fromEnvironment;
        // The URL may carry user:password: it is never printed as typed.
        return Uri.TryCreate(commandLine.RemoteCache, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? fromEnvironment with { RemoteUrl = url, RemotePush = commandLine.RemoteCachePush || fromEnvironment.RemotePush }
            : throw new BuildConfigurationException($"--remote-cache {CacheOptions.Redact(commandLine.RemoteCache)}: expected an http(s) URL such as http://127.0.0.1:8080/cache/.");
    }

    static int Prune(TargetCache cache, IReadOnlyList<string> limits, TextWriter output, TextWriter error)
    {
        try
        {
            var options = PruneLimits.Parse(limits);
            var result = cache.Prune(options);
            output.WriteLine($"Pruned {result.BlobsDeleted} blobs ({result.BytesFreed / 1048576.0:0.0} MiB) and {result.ActionsDeleted} action records; kept {result.BlobsKept} blobs ({result.BytesKept / 1048576.0:0.0} MiB).");
            return Success;
        }
        catch (BuildConfigurationException e)
        {
            error.WriteLine($"error: {e.Message}");
            return BadUsage;
        }
    }

    sealed record Invocation(
        CommandLine CommandLine, AbsolutePath Root, object Build, TargetGraph Graph,
        IReadOnlyList<ResolvedParameter> Parameters, IReadOnlyList<TargetNode> Plan, IReadOnlySet<TargetNode> Invoked);

    static Invocation Prepare(string[] args, Func<AbsolutePath, object> createBuild, IReadOnlyList<string> defaultTargets)
    {
        var commandLine = CommandLine.Parse(args);
        var root = RootDirectoryLocator.Locate(commandLine.Root, Directory.GetCurrentDirectory());
        var build = createBuild(root);
        var members = ParameterMember.Discover(build.GetType());
        var parameters = new ParameterResolver(root, ParameterResolver.ProcessEnvironment()).Resolve(build, members, commandLine);
        var graph = TargetGraph.Create(build);
        if (build is PipelineBuild pipelineBuild) pipelineBuild.Description = new BuildDescription(graph, parameters);
        BuildSchema.WriteIfChanged(root / ".nuke" / "build.schema.json", BuildSchema.Render(graph, members));

        var names = commandLine.Targets.Count > 0 ? commandLine.Targets : defaultTargets;
        if (names.Count == 0 && commandLine.RunsTargets)
            throw new BuildConfigurationException("No target given and the build declares no default: name a target, e.g. ./build.sh Train (see --help).");
        var invoked = names.SelectMany(graph.FindAll).Distinct().ToList();
        var plan = graph.Plan(invoked);
        return new Invocation(commandLine, root, build, graph, parameters, plan, invoked.ToHashSet());
    }

    static IReadOnlyDictionary<TargetNode, string> PlanSkips(CommandLine commandLine, TargetGraph graph, IReadOnlyList<TargetNode> plan, IReadOnlySet<TargetNode> invoked, IReadOnlyList<ResolvedParameter> parameters)
    {
        var skip = commandLine.Skip?.SelectMany(graph.FindAll).ToHashSet();
        return SkipPlanner.Plan(plan, invoked, skip, node =>
            node.Definition.StaticConditions.FirstOrDefault(c => !c.Evaluate()) is { } condition ? SkipReason.For(condition.Text, parameters) : null);
    }

    /// <summary>
    /// <c>--force T</c> forces T alone, never its upstream chain (that is up to date or not on its own); a bare
    /// <c>--force</c> forces the targets named on the command line, or every planned target when none is named.
    /// </summary>
    internal static HashSet<TargetNode>? ForcedTargets(CommandLine commandLine, TargetGraph graph, IReadOnlyList<TargetNode> plan, IReadOnlySet<TargetNode> invoked) =>
        commandLine.Force switch
        {
            null => null,
            { Count: > 0 } names => names.SelectMany(graph.FindAll).ToHashSet(),
            _ when commandLine.Targets.Count > 0 => invoked.ToHashSet(),
            _ => plan.ToHashSet(),
        };

    /// <summary>Every requirement of every target that will run is checked before the first one starts.</summary>
    static void CheckRequirements(IReadOnlyList<TargetNode> plan, IReadOnlyDictionary<TargetNode, string> skips, IReadOnlyList<ResolvedParameter> parameters)
    {
        foreach (var node in plan.Where(n => !skips.ContainsKey(n)))
        {
            foreach (var requirement in node.Definition.Requirements.Where(r => !r.Evaluate()))
            {
                var parameter = parameters.FirstOrDefault(p => requirement.Text.Contains(p.Member.Name, StringComparison.Ordinal));
                var fix = parameter is null ? "" : $" Pass --{parameter.Member.CliName} <value>, set {parameter.Member.Name} in .nuke/parameters.json or the environment variable {parameter.Member.EnvironmentName}.";
                throw new BuildConfigurationException($"Target '{node.Name}' requires {requirement.Text}.{fix}");
            }
        }
    }

    /// <summary><c>--verify-audit [path]</c>: 0 and the count when the chain holds, 1 and the first broken record when not.</summary>
    static int VerifyAudit(AbsolutePath root, string path, TextWriter output, TextWriter error)
    {
        var verification = AuditLog.For(root, path.Length == 0 ? null : path).Verify();
        (verification.Intact ? output : error).WriteLine(verification.Message);
        return verification.Intact ? Success : TargetFailed;
    }

    static int Execute(CommandLine commandLine, IReadOnlyList<TargetNode> plan, IReadOnlyDictionary<TargetNode, string> skips, ITargetExecutor executor, TextWriter output, Stopwatch clock,
        out IReadOnlyList<TargetResult> results)
    {
        using var cancellation = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        void Cancel(PosixSignalContext context)
        {
            // The first Ctrl+C stops the build cleanly (summary included); a second one kills the process.
            if (cancellation.IsCancellationRequested) return;
            context.Cancel = true;
            output.WriteLine("Cancelling: waiting for running targets to stop…");
            cancellation.Cancel();
        }

        var jobs = commandLine.Jobs ?? Environment.ProcessorCount;
        var terminal = output == Console.Out && !Console.IsOutputRedirected;
        // Live progress only on a terminal; CI logs get the plain start and end lines alone.
        var progress = terminal && commandLine.Verbosity >= Verbosity.Normal ? new LiveProgress(plan.Count) : null;
        var originalOut = Console.Out;
        var originalError = Console.Error;
        // minimal and quiet hold back what targets print and show it only for a target that fails.
        var writer = new TargetOutputWriter(originalOut, prefix: jobs > 1, progress, capture: commandLine.Verbosity < Verbosity.Normal);
        Console.SetOut(writer);
        if (jobs > 1) Console.SetError(new TargetOutputWriter(originalError, prefix: true, progress: null));
        var plainLines = progress is not null || commandLine.Verbosity < Verbosity.Normal ? null
            : new PlainProgressLines(output == originalOut ? writer.WriteEngineLine : output.WriteLine, PlainProgressLines.IntervalFromEnvironment(), () => clock.Elapsed);
        using (var ticker = progress is null ? null : new Timer(_ => writer.Tick(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250)))
        using (var heartbeat = plainLines is null ? null : new Timer(_ => plainLines.Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)))
        {
            try
            {
                IBuildReporter reporter = new ConsoleReporter(output == originalOut ? writer : output, commandLine.Verbosity, writer.TakeCaptured);
                if (progress is not null) reporter = new ReporterPair(progress, reporter);
                // Progress within a step: in the status line on a terminal, as plain periodic lines in CI logs.
                StepProgress.Sink = progress;
                if (plainLines is not null)
                {
                    reporter = new ReporterPair(plainLines, reporter);
                    StepProgress.Sink = plainLines;
                }
                var scheduler = new TargetScheduler(new NamedExecutor(executor), reporter, jobs);
                results = scheduler.RunAsync(plan, skips, cancellation.Token).GetAwaiter().GetResult();
            }
            finally
            {
                StepProgress.Sink = null;
                writer.EndProgress();
                Console.SetOut(originalOut);
                Console.SetError(originalError);
            }
        }

        // Colours only on a terminal: CI logs and files get plain text.
        output.Write(SummaryTable.Render(results, clock.Elapsed, colour: terminal));
        return results.Any(r => r.Outcome == TargetOutcome.Failed) || cancellation.IsCancellationRequested ? TargetFailed : Success;
    }

    /// <summary>Tells two reporters, the live status first.</summary>
    sealed class ReporterPair(IBuildReporter first, IBuildReporter second) : IBuildReporter
    {
        public void TargetStarted(TargetNode node)
        {
            first.TargetStarted(node);
            second.TargetStarted(node);
        }

        public void TargetFinished(TargetResult result)
        {
            first.TargetFinished(result);
            second.TargetFinished(result);
        }
    }

    /// <summary>Marks output written while a target runs with the target's name.</summary>
    sealed class NamedExecutor(ITargetExecutor inner) : ITargetExecutor
    {
        public Task<(TargetOutcome Outcome, string? Reason)> ExecuteAsync(TargetNode node, CancellationToken cancellationToken)
        {
            TargetOutputWriter.CurrentTarget = node.Name;
            return inner.ExecuteAsync(node, cancellationToken);
        }
    }
}
