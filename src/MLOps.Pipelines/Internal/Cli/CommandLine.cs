using MLOps.Pipelines.Internal.Parameters;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary>The parsed command line: targets first, then <c>--option values…</c> (engine options and parameters).</summary>
internal sealed record CommandLine
{
    public static readonly IReadOnlyList<(string Name, string Help)> EngineOptions =
    [
        ("help", "Show targets, parameters and options"),
        ("plan", "Print the graph as Mermaid text and write it as an HTML page"),
        ("skip", "Skip the given targets, or every target but the invoked ones when none is given"),
        ("force", "Run the given targets (or all) even when up to date"),
        ("dry-run", "Print what would run, restore or be skipped, and why; run nothing"),
        ("no-cache", "Neither read nor write the content store"),
        ("remote-cache", "Base URL of a Bazel-protocol HTTP cache to restore from (or MLOPS_REMOTE_CACHE)"),
        ("remote-cache-push", "Also upload outputs to the remote cache (trusted CI only; or MLOPS_REMOTE_CACHE_PUSH=1)"),
        ("remote-cache-max-blob", "Largest blob to download from the remote cache, e.g. 2GB (default 8GB; or MLOPS_REMOTE_CACHE_MAX_BLOB)"),
        ("prune-cache", "Prune the content store, keeping what pipelines.lock references: e.g. --prune-cache 30d 5GB"),
        ("jobs", "Run up to N independent targets in parallel (default: the number of cores)"),
        ("profile", "Also read .nuke/parameters.<profile>.json (several allowed; later ones win)"),
        ("verbosity", "quiet, minimal, normal or verbose"),
        ("root", "The repository root (default: the nearest folder holding .nuke/)"),
        ("generate-ci", "Write the CI configuration files the build's attributes declare"),
        ("check-ci", "Fail when the committed CI configuration differs from what the build generates"),
        ("job-state-in", "CI: merge upstream jobs' state folders (lock fragments, shared files) before running; with no target named, only merge"),
        ("job-state-out", "CI: after a successful run, write this job's state folder (the lock entries of the named targets, changed shared files)"),
        ("job-state-files", "CI: globs of shared files (outside targets' outputs) that --job-state-out carries, e.g. models/*/registry.json"),
        ("verify-audit", "Verify the audit log's hash chain (default .nuke/audit/audit.log or MLOPS_AUDIT_LOG, or the path given)"),
    ];

    static readonly HashSet<string> FlagsWithoutValue = ["help", "plan", "dry-run", "no-cache", "remote-cache-push", "generate-ci", "check-ci"];

    public IReadOnlyList<string> Targets { get; init; } = [];
    public bool Help { get; init; }
    public bool Plan { get; init; }
    public bool DryRun { get; init; }
    public bool NoCache { get; init; }
    public bool GenerateCi { get; init; }
    public bool CheckCi { get; init; }
    /// <summary>Null unless <c>--verify-audit</c> was given; then the log's path, empty for the default.</summary>
    public string? VerifyAudit { get; init; }
    public string? RemoteCache { get; init; }
    public bool RemoteCachePush { get; init; }
    /// <summary>The remote download ceiling as typed (<c>--remote-cache-max-blob 2GB</c>), null when not given.</summary>
    public string? RemoteCacheMaxBlob { get; init; }
    /// <summary>Null unless <c>--prune-cache</c> was given; then its limits (age like 30d or 12h, size like 5GB).</summary>
    public IReadOnlyList<string>? PruneCache { get; init; }
    /// <summary>Null unless <c>--job-state-in</c> was given; then the upstream jobs' state folders to merge.</summary>
    public IReadOnlyList<string>? JobStateIn { get; init; }
    /// <summary>Null unless <c>--job-state-out</c> was given; then the folder this job's state goes to.</summary>
    public string? JobStateOut { get; init; }
    /// <summary>Globs of shared state files <c>--job-state-out</c> carries when they changed.</summary>
    public IReadOnlyList<string> JobStateFiles { get; init; } = [];
    /// <summary>True when the command line only merges job state (<c>--job-state-in</c> and no target).</summary>
    public bool MergesJobStateOnly => JobStateIn is not null && Targets.Count == 0;
    /// <summary>Null when <c>--skip</c> was not given; empty when given without targets (skip all but the invoked).</summary>
    public IReadOnlyList<string>? Skip { get; init; }
    /// <summary>Null when <c>--force</c> was not given; empty when given without targets (force all).</summary>
    public IReadOnlyList<string>? Force { get; init; }
    public int? Jobs { get; init; }
    public IReadOnlyList<string> Profiles { get; init; } = [];
    public Verbosity Verbosity { get; init; } = Verbosity.Normal;
    public string? Root { get; init; }
    /// <summary>Every other <c>--name values…</c>: parameters, keyed by <see cref="Parameters.ParameterNames.Key"/>.</summary>
    public IReadOnlyDictionary<string, ParameterArgument> Parameters { get; init; } = new Dictionary<string, ParameterArgument>();

    /// <summary>False for the commands that only inspect or maintain (help, plan, CI files, pruning).</summary>
    public bool RunsTargets => !(Help || Plan || GenerateCi || CheckCi || PruneCache is not null || VerifyAudit is not null || MergesJobStateOnly);

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new List<(string Name, List<string> Values)>();
        foreach (var arg in args)
        {
            // After a flag that takes no value, a bare word is a target again: ./build.sh --dry-run Train.
            var afterFlag = options.Count > 0 && FlagsWithoutValue.Contains(options[^1].Name.ToLowerInvariant());
            if (arg is "-h" or "-?" or "/?") options.Add(("help", []));
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var body = arg[2..];
                var equals = body.IndexOf('=', StringComparison.Ordinal);
                options.Add(equals < 0 ? (body, []) : (body[..equals], [body[(equals + 1)..]]));
            }
            else if (options.Count == 0 || afterFlag) targets.Add(arg);
            else options[^1].Values.Add(arg);
        }

        var line = new CommandLine { Targets = targets };
        var parameters = new Dictionary<string, ParameterArgument>();
        foreach (var (name, values) in options)
        {
            line = name.ToLowerInvariant() switch
            {
                "help" => line with { Help = true },
                "plan" => line with { Plan = true },
                "dry-run" => line with { DryRun = true },
                "no-cache" => line with { NoCache = true },
                "generate-ci" => line with { GenerateCi = true },
                "check-ci" => line with { CheckCi = true },
                "verify-audit" => line with { VerifyAudit = values.Count == 0 ? "" : Single(name, values) },
                "remote-cache" => line with { RemoteCache = Single(name, values) },
                "remote-cache-push" => line with { RemoteCachePush = true },
                "remote-cache-max-blob" => line with { RemoteCacheMaxBlob = Single(name, values) },
                "prune-cache" => line with { PruneCache = values },
                "job-state-in" => line with { JobStateIn = [.. line.JobStateIn ?? [], .. AtLeastOne(name, values)] },
                "job-state-out" => line with { JobStateOut = Single(name, values) },
                "job-state-files" => line with { JobStateFiles = [.. line.JobStateFiles, .. AtLeastOne(name, values)] },
                "skip" => line with { Skip = [.. line.Skip ?? [], .. SplitNames(values)] },
                "force" => line with { Force = [.. line.Force ?? [], .. SplitNames(values)] },
                "jobs" => line with { Jobs = ParseJobs(values) },
                "profile" => line with { Profiles = [.. line.Profiles, .. SplitNames(values).Select(ProfileName)] },
                "verbosity" => line with { Verbosity = ParseVerbosity(values) },
                "root" => line with { Root = Single(name, values) },
                _ => AddParameter(line, parameters, name, values),
            };
        }
        return line with { Parameters = parameters };
    }

    static CommandLine AddParameter(CommandLine line, Dictionary<string, ParameterArgument> parameters, string name, List<string> values)
    {
        parameters[Pipelines.Internal.Parameters.ParameterNames.Key(name)] = new ParameterArgument("--" + name, values);
        return line;
    }

    static IEnumerable<string> SplitNames(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split([',', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A profile names a file inside .nuke/, never a path: no separators, no "..".</summary>
    static string ProfileName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !name.Contains("..", StringComparison.Ordinal) && name[0] != '.'
            ? name
            : throw new BuildConfigurationException(
                $"--profile {name}: a profile is a name such as ci or gpu-large (letters, digits, '-', '_', '.'), read from .nuke/parameters.<name>.json; it cannot be a path.");

    static int ParseJobs(List<string> values) =>
        values.Count == 1 && int.TryParse(values[0], out var jobs) && jobs > 0
            ? jobs
            : throw new BuildConfigurationException($"--jobs takes one positive whole number, e.g. --jobs 2 (got '{string.Join(' ', values)}').");

    static Verbosity ParseVerbosity(List<string> values) =>
        values.Count == 1 && Enum.TryParse<Verbosity>(values[0], ignoreCase: true, out var verbosity) && Enum.IsDefined(verbosity)
            ? verbosity
            : throw new BuildConfigurationException($"--verbosity takes one of quiet, minimal, normal, verbose (got '{string.Join(' ', values)}').");

    static List<string> AtLeastOne(string name, List<string> values) =>
        values.Count > 0 ? values : throw new BuildConfigurationException($"--{name} takes one or more values.");

    static string Single(string name, List<string> values) =>
        values.Count == 1 ? values[0] : throw new BuildConfigurationException($"--{name} takes exactly one value.");
}

/// <summary>A parameter as typed on the command line: the flag and its values.</summary>
internal sealed record ParameterArgument(string Flag, IReadOnlyList<string> Values);

internal enum Verbosity { Quiet, Minimal, Normal, Verbose }
