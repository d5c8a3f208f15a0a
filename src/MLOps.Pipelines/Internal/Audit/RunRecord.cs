using System.Globalization;
using System.Text.Json;
using MLOps.Pipelines.Internal.Cli;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// One run's audit record: who, when, where, from which commit, what was asked, what became of each target with its
/// fingerprint, output digests and metrics, the parameters (secrets masked) and the events libraries reported
/// (registrations, alias moves). Written straight to a <see cref="Utf8JsonWriter"/> with every object's keys in
/// ordinal order, so the bytes are already canonical (<see cref="CanonicalJson"/> gives the same from a parse) and a
/// build pays for no JSON object model. Pure: the same facts give the same bytes.
/// </summary>
internal static class RunRecord
{
    public const int Format = 1;

    public static Action<Utf8JsonWriter, AuditLink> Writer(RunFacts facts, SecretRedaction redaction) => (w, link) => Write(w, link, facts, redaction);

    // Keys in ordinal order at every level: ci, commandLine, durationMs, events, exitCode, format, git, hash, host,
    // parameters, prev, seq, targets, time, user.
    static void Write(Utf8JsonWriter w, AuditLink link, RunFacts facts, SecretRedaction redaction)
    {
        w.WriteStartObject();
        if (facts.Ci.Count > 0)
        {
            w.WritePropertyName("ci");
            Map(w, facts.Ci, redaction);
        }
        w.WriteStartArray("commandLine");
        foreach (var arg in redaction.CommandLine(facts.Arguments)) w.WriteStringValue(arg);
        w.WriteEndArray();
        w.WriteNumber("durationMs", (long)facts.Duration.TotalMilliseconds);
        w.WriteStartArray("events");
        foreach (var e in facts.Events) Event(w, e, redaction);
        w.WriteEndArray();
        w.WriteNumber("exitCode", facts.ExitCode);
        w.WriteNumber("format", Format);
        if (facts.Git is { } git)
        {
            w.WriteStartObject("git");
            w.WriteNumber("changedPaths", git.ChangedPaths);
            w.WriteString("commit", git.Commit);
            w.WriteBoolean("dirty", git.Dirty);
            w.WriteEndObject();
        }
        else w.WriteNull("git");
        if (link.Hash is { } hash) w.WriteString("hash", hash);
        w.WriteString("host", facts.Host);
        w.WriteStartObject("parameters");
        foreach (var p in facts.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            w.WriteStartObject(p.Name);
            w.WriteString("source", p.Source);
            // A secret is never written, not even hashed: only whether it was given.
            w.WriteString("value", p.Secret ? (p.Value.Length == 0 ? "" : SecretRedaction.Mask) : p.Value);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("prev", link.Prev);
        w.WriteNumber("seq", link.Seq);
        w.WriteStartArray("targets");
        foreach (var result in facts.Results) Target(w, result, facts.LockEntries, redaction);
        w.WriteEndArray();
        w.WriteString("time", Time(facts.Started));
        w.WriteString("user", facts.User);
        w.WriteEndObject();
    }

    static void Target(Utf8JsonWriter w, TargetResult result, IReadOnlyDictionary<string, LockEntry> entries, SecretRedaction redaction)
    {
        // The lock entry describes the outputs in place now only when the target ended well in this run.
        var entry = result.Outcome is TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored
            && entries.TryGetValue(result.Target, out var e) ? e : null;
        w.WriteStartObject();
        if (entry is not null) w.WriteString("code", entry.CodeHash);
        w.WriteNumber("durationMs", (long)result.Duration.TotalMilliseconds);
        if (entry is not null)
        {
            w.WriteString("fingerprint", entry.Fingerprint);
            if (entry.Metrics.Count > 0)
            {
                w.WriteStartObject("metrics");
                foreach (var name in entry.Metrics.Keys.Order(StringComparer.Ordinal)) w.WriteNumber(name, entry.Metrics[name]);
                w.WriteEndObject();
            }
        }
        w.WriteString("name", result.Target);
        w.WriteString("outcome", result.Outcome.ToString());
        if (entry is not null)
        {
            w.WriteStartArray("outputs");
            foreach (var output in entry.Outputs.OrderBy(o => o.Path, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("hash", output.Hash);
                w.WriteString("path", output.Path);
                w.WriteNumber("size", output.Size);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (result.Reason is { } reason) w.WriteString("reason", redaction.Scrub(reason));
        w.WriteEndObject();
    }

    static void Event(Utf8JsonWriter w, AuditEvent e, SecretRedaction redaction)
    {
        w.WriteStartObject();
        w.WritePropertyName("fields");
        Map(w, e.Fields, redaction);
        w.WriteString("kind", e.Kind);
        if (e.Target is not null) w.WriteString("target", e.Target);
        w.WriteString("time", Time(e.Time));
        w.WriteEndObject();
    }

    static void Map(Utf8JsonWriter w, IReadOnlyDictionary<string, string> values, SecretRedaction redaction)
    {
        w.WriteStartObject();
        foreach (var key in values.Keys.Order(StringComparer.Ordinal)) w.WriteString(key, redaction.Scrub(values[key]));
        w.WriteEndObject();
    }

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
