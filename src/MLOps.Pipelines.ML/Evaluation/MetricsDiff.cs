using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Compares two metrics.json documents metric by metric, like <c>dvc metrics diff</c>.</summary>
public static class MetricsDiff
{
    /// <param name="oldJson">The baseline (previous run or committed file); null when there is none yet.</param>
    /// <param name="includeUnchanged">List equal metrics too (dvc's <c>--all</c>).</param>
    public static IReadOnlyList<MetricChange> Compare(string? oldJson, string newJson, bool includeUnchanged = false)
    {
        var before = oldJson is null ? new Dictionary<string, double>() : Flatten(oldJson, "old metrics");
        var after = Flatten(newJson, "new metrics");
        return before.Keys.Union(after.Keys).Order(StringComparer.Ordinal)
            .Select(k => new MetricChange(k, before.TryGetValue(k, out var o) ? o : null, after.TryGetValue(k, out var n) ? n : null))
            .Where(c => includeUnchanged || c.Old != c.New)
            .ToArray();
    }

    /// <summary>A plain-text table: Metric, Old, New, Change ("-" where a value is absent).</summary>
    public static string Format(IReadOnlyList<MetricChange> changes, string oldLabel = "Old", string newLabel = "New")
    {
        if (changes.Count == 0) return "No metric changed.\n";
        string[] header = ["Metric", oldLabel, newLabel, "Change"];
        var rows = changes.Select(c => new[] { c.Metric, V(c.Old), V(c.New), c.Change is { } d ? d.ToString("+0.######;-0.######;0", CultureInfo.InvariantCulture) : "-" }).ToList();
        var widths = Enumerable.Range(0, 4).Select(i => rows.Append(header).Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }

    private static string V(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture) ?? "-";

    private static Dictionary<string, double> Flatten(string json, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The {what} are not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        using (document)
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            Walk(document.RootElement, "", values);
            return values;
        }
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, double> values)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", values);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{i++}]", values);
                break;
            case JsonValueKind.Number:
                values[path] = element.GetDouble();
                break;
        }
    }
}
