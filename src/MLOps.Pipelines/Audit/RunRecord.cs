using System.Globalization;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Execution;

namespace MLOps.Pipelines.Audit;

/// <summary>
/// One run's audit record (before chaining): who, when, where, from which commit, what was asked, what became of each
/// target with its fingerprint, output digests and metrics, the parameters (secrets masked) and the events libraries
/// reported (registrations, alias moves). Pure: the same facts give the same record.
/// </summary>
internal static class RunRecord
{
    public const int Format = 1;

    public static JsonObject Build(RunFacts facts, SecretRedaction redaction)
    {
        var record = new JsonObject
        {
            ["format"] = Format,
            ["time"] = Time(facts.Started),
            ["durationMs"] = (long)facts.Duration.TotalMilliseconds,
            ["user"] = facts.User,
            ["host"] = facts.Host,
            ["git"] = facts.Git is { } git
                ? new JsonObject { ["commit"] = git.Commit, ["dirty"] = git.Dirty, ["changedPaths"] = git.ChangedPaths }
                : null,
            ["commandLine"] = Array(redaction.CommandLine(facts.Arguments)),
            ["exitCode"] = facts.ExitCode,
            ["targets"] = new JsonArray([.. facts.Results.Select(r => Target(r, facts, redaction))]),
            ["parameters"] = Parameters(facts),
            ["events"] = new JsonArray([.. facts.Events.Select(e => Event(e, redaction))]),
        };
        if (facts.Ci.Count > 0) record["ci"] = Map(facts.Ci, redaction);
        return record;
    }

    static JsonNode Target(TargetResult result, RunFacts facts, SecretRedaction redaction)
    {
        var target = new JsonObject
        {
            ["name"] = result.Target,
            ["outcome"] = result.Outcome.ToString(),
            ["durationMs"] = (long)result.Duration.TotalMilliseconds,
        };
        if (result.Reason is { } reason) target["reason"] = redaction.Scrub(reason);
        // The lock entry describes the outputs in place now only when the target ended well in this run.
        if (result.Outcome is TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored
            && facts.LockEntries.TryGetValue(result.Target, out var entry))
        {
            target["fingerprint"] = entry.Fingerprint;
            target["code"] = entry.CodeHash;
            target["outputs"] = new JsonArray([.. entry.Outputs.OrderBy(o => o.Path, StringComparer.Ordinal).Select(o =>
                (JsonNode)new JsonObject { ["path"] = o.Path, ["size"] = o.Size, ["hash"] = o.Hash })]);
            if (entry.Metrics.Count > 0)
                target["metrics"] = new JsonObject(entry.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                    .Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value))));
        }
        return target;
    }

    static JsonObject Parameters(RunFacts facts) =>
        new(facts.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Name, (JsonNode?)new JsonObject
        {
            // A secret is never written, not even hashed: only whether it was given.
            ["value"] = p.Secret ? (p.Value.Length == 0 ? "" : SecretRedaction.Mask) : p.Value,
            ["source"] = p.Source,
        })));

    static JsonNode Event(AuditEvent e, SecretRedaction redaction)
    {
        var node = new JsonObject { ["kind"] = e.Kind, ["time"] = Time(e.Time), ["fields"] = Map(e.Fields, redaction) };
        if (e.Target is not null) node["target"] = e.Target;
        return node;
    }

    static JsonObject Map(IReadOnlyDictionary<string, string> values, SecretRedaction redaction) =>
        new(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)redaction.Scrub(p.Value))));

    static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
