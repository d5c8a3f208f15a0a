namespace MLOps.Pipelines.Internal.Audit;

/// <summary>The events reported during one run, in the order they arrived (targets may report from several threads).</summary>
internal sealed class AuditEventCollector(TimeProvider clock)
{
    readonly Lock _gate = new();
    readonly List<AuditEvent> _events = [];

    public void Add(string kind, string? target, IReadOnlyDictionary<string, string> fields)
    {
        var copy = new SortedDictionary<string, string>(fields.ToDictionary(), StringComparer.Ordinal);
        lock (_gate) _events.Add(new AuditEvent(kind, target, clock.GetUtcNow(), copy));
    }

    public IReadOnlyList<AuditEvent> Snapshot()
    {
        lock (_gate) return [.. _events];
    }
}

/// <summary>One event a library reported during a run.</summary>
internal sealed record AuditEvent(string Kind, string? Target, DateTimeOffset Time, IReadOnlyDictionary<string, string> Fields);
