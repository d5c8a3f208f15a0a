using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The host's side of the audit trail: started before the first target (git is asked in parallel with the build, so
/// the dirty state is the work tree's before the build wrote anything), finished after the last one by appending the
/// run's record to the log.
/// </summary>
internal sealed class RunAudit : IDisposable
{
    /// <summary>Environment variables that name a CI run; recorded when present.</summary>
    static readonly string[] CiVariables =
    [
        "GITHUB_REPOSITORY", "GITHUB_WORKFLOW", "GITHUB_JOB", "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_EVENT_NAME",
        "CI_PROJECT_PATH", "CI_PIPELINE_ID", "CI_PIPELINE_SOURCE", "CI_JOB_ID", "CI_JOB_NAME",
    ];

    /// <summary>Secrets the engine itself reads from the environment.</summary>
    static readonly string[] SecretVariables = ["MLOPS_REMOTE_CACHE_TOKEN"];

    readonly AuditLog _log;
    readonly IReadOnlyList<string> _arguments;
    readonly IReadOnlyList<ResolvedParameter> _parameters;
    readonly TimeProvider _clock;
    readonly DateTimeOffset _started;
    readonly Task<GitState?> _git;
    readonly AuditEventCollector _events;

    RunAudit(AuditLog log, string root, IReadOnlyList<string> arguments, IReadOnlyList<ResolvedParameter> parameters, TimeProvider clock)
    {
        _log = log;
        _arguments = arguments;
        _parameters = parameters;
        _clock = clock;
        _started = clock.GetUtcNow();
        _git = GitState.ReadAsync(root);
        _events = AuditEvents.Begin(clock);
    }

    public static RunAudit Start(string root, IReadOnlyList<string> arguments, IReadOnlyList<ResolvedParameter> parameters, TimeProvider? clock = null) =>
        new(AuditLog.For(root), root, arguments, parameters, clock ?? TimeProvider.System);

    /// <summary>Appends the run's record. A log that cannot be written is reported, not fatal: the build's own outcome stands.</summary>
    public void Finish(string root, IReadOnlyList<TargetResult> results, int exitCode, TextWriter error)
    {
        AuditEvents.End();
        try
        {
            var facts = new RunFacts(
                _started, _clock.GetUtcNow() - _started, User(), Environment.MachineName, Ci(), _git.GetAwaiter().GetResult(),
                _arguments, results, new LockFile(root).Read(),
                [.. _parameters.Select(p => new AuditParameter(p.Member.Name, ParameterValueConverter.Format(p.Value), p.Source, p.Member.IsSecret))],
                _events.Snapshot(), exitCode);
            var (_, _, warning) = _log.Append(RunRecord.Writer(facts, Redaction()));
            if (warning is not null) error.WriteLine($"warning: {warning}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or TimeoutException or System.Text.Json.JsonException)
        {
            error.WriteLine($"warning: the audit record of this run was not written to {_log.Path}: {e.Message}");
        }
    }

    SecretRedaction Redaction()
    {
        var secrets = _parameters.Where(p => p.Member.IsSecret).ToList();
        var values = secrets.Select(p => ParameterValueConverter.Format(p.Value))
            .Concat(SecretVariables.Select(Environment.GetEnvironmentVariable).OfType<string>());
        return new SecretRedaction([.. values], [.. secrets.Select(p => p.Member.CliName)]);
    }

    static string User()
    {
        // On CI the runner's account says little; the platform names the person who started the run.
        foreach (var variable in new[] { "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "USER", "USERNAME" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } name)
                return name;
        return Environment.UserName;
    }

    static Dictionary<string, string> Ci()
    {
        var ci = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in CiVariables)
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value) ci[variable] = value;
        return ci;
    }

    public void Dispose() => AuditEvents.End();
}
