using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>Checks a log's text against <see cref="AuditChain"/>'s rules and the head record the writer keeps beside it. Pure.</summary>
internal static class AuditChainVerifier
{
    public static AuditVerification Verify(string text, AuditHead? head, string logName)
    {
        var lastNewline = text.LastIndexOf('\n');
        var complete = lastNewline < 0 ? "" : text[..(lastNewline + 1)];
        var tail = text[(lastNewline + 1)..];
        var lines = complete.Split('\n');
        var count = lines.Length - 1; // the text after the final newline is empty

        var expectedPrev = AuditChain.Genesis;
        for (var i = 0; i < count; i++)
        {
            var lineNumber = i + 1;
            var broken = CheckLine(lines[i], lineNumber, expectedPrev, out var hash);
            if (broken is not null)
                return new AuditVerification(false, i, $"{logName}: {broken.Value.Message}", broken.Value.Name);
            expectedPrev = hash!;
        }

        if (head is not null)
        {
            if (head.Seq > count)
                return new AuditVerification(false, count,
                    $"{logName}: truncated: the log ends at record {count}, but its head ({AuditLog.HeadFileName}) names record {head.Seq}: records {count + 1}–{head.Seq} were removed.",
                    $"record {count + 1}");
            if (head.Seq >= 1 && HashAtLine(lines[head.Seq - 1]) != head.Hash)
                return new AuditVerification(false, count,
                    $"{logName}: record {head.Seq} is not the record its head ({AuditLog.HeadFileName}) names: it was rewritten.", $"record {head.Seq}");
        }

        var torn = Encoding.UTF8.GetByteCount(tail);
        if (torn > 0)
            return new AuditVerification(true, count,
                $"{logName}: {count} records checked, chain intact; torn tail: {torn} bytes after record {count} (an append interrupted mid-write, not a record; the next build moves them to {AuditLog.TornFileSuffix}).",
                TornTailBytes: torn);
        return new AuditVerification(true, count, $"{logName}: {count} records checked, chain intact" + (count > 0 ? $" (head: record {count}, {expectedPrev[..16]}…)." : "."));
    }

    static (string Name, string Message)? CheckLine(string line, int lineNumber, string expectedPrev, out string? hash)
    {
        hash = null;
        JsonObject record;
        try
        {
            record = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException e)
        {
            return ($"line {lineNumber}", $"line {lineNumber} is not an audit record ({e.Message.Split('\n')[0]}): it was edited by hand or overwritten.");
        }
        if (!TryGet(record, "seq", out long seq) || !TryGet(record, "prev", out string? prev) || !TryGet(record, "hash", out string? stored))
            return ($"line {lineNumber}", $"line {lineNumber} lacks its seq, prev or hash field: it is not a record this engine wrote, or was edited.");

        var name = $"record {seq}";
        if (seq != lineNumber)
            return (name, $"record {seq} found at line {lineNumber}, where record {lineNumber} belongs: a record was deleted, inserted or moved.");
        if (AuditChain.HashOf(record) != stored)
            return (name, $"record {seq} (line {lineNumber}) was altered: its content no longer matches its hash {Short(stored!)}.");
        if (prev != expectedPrev)
            return (name, $"record {seq} (line {lineNumber}) does not chain to record {seq - 1}: its prev is {Short(prev!)}, record {seq - 1}'s hash is {Short(expectedPrev)} — a record was replaced or rewritten.");
        hash = stored;
        return null;
    }

    static string? HashAtLine(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["hash"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    static bool TryGet<T>(JsonObject record, string name, out T? value)
    {
        value = default;
        try
        {
            if (record[name] is not JsonValue node) return false;
            value = node.GetValue<T>();
            return value is not null;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;
}
