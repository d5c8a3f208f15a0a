namespace MLOps.Pipelines;

/// <summary>
/// Lets a library add events to the audit record of the run in progress (the model registry reports registrations and
/// alias moves). Events are kept in memory and written with the run's record when the build ends; secret parameter
/// values are scrubbed from them like from everything else in the record.
/// </summary>
public static class AuditEvents
{
    // AsyncLocal: the run's targets execute in tasks started from the host's context, so they see the run's list,
    // while two builds run in one process (tests) keep theirs apart.
    static readonly AsyncLocal<Internal.Audit.AuditEventCollector?> s_current = new();

    /// <summary>
    /// Adds an event, e.g. <c>Record("registry.alias", new() { ["model"] = "churn", ["alias"] = "champion", ["to"] = "4" })</c>.
    /// Returns false (and records nothing) outside a build run, e.g. when a library is used from a test or a tool.
    /// </summary>
    public static bool Record(string kind, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(fields);
        if (s_current.Value is not { } collector) return false;
        collector.Add(kind, Internal.Execution.TargetOutputWriter.CurrentTarget, fields);
        return true;
    }

    internal static Internal.Audit.AuditEventCollector Begin(TimeProvider clock) => s_current.Value = new Internal.Audit.AuditEventCollector(clock);

    internal static void End() => s_current.Value = null;
}
