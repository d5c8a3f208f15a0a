using System.Globalization;
using System.Text.Json;
using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>
/// The monitoring history a card shows, from whichever of Monitor's reports exist: <c>monitor.json</c> (metrics per
/// later batch), drift reports (any JSON with a <c>verdict</c> line, e.g. <c>drift: detected (3 of 5 features)</c>,
/// and optionally its <c>batch</c>) and <c>retrain.json</c> (the retraining decision).
/// </summary>
public static class DriftHistory
{
    public static ReportTable? Read(IEnumerable<string> reports)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var path in reports.Where(File.Exists))
        {
            using var document = Parse(path);
            var root = document.RootElement;
            var source = Path.GetFileName(path);
            if (root.ValueKind != JsonValueKind.Object) continue;
            if (root.TryGetProperty("batches", out var batches) && batches.ValueKind == JsonValueKind.Array)
            {
                foreach (var b in batches.EnumerateArray())
                    rows.Add([source, Text(b, "batch"), "performance",
                        $"AUC {Number(b, "auc")}, log-loss {Number(b, "log_loss")}, {Number(b, "rows")} rows, positive rate {Number(b, "positive_rate")}"]);
            }
            if (root.TryGetProperty("verdict", out var verdict) && verdict.ValueKind == JsonValueKind.String)
                rows.Add([source, Text(root, "batch"), "drift", verdict.GetString()!]);
            if (root.TryGetProperty("retrain", out var retrain) && retrain.ValueKind is JsonValueKind.True or JsonValueKind.False)
                rows.Add([source, "", "retraining", Text(root, "summary")]);
        }
        return rows.Count == 0 ? null : new ReportTable("Monitoring reports", ["report", "batch", "kind", "finding"], rows);
    }

    static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a JSON monitoring report ({e.Message}); run Monitor again or leave it out of the card's reports.", e);
        }
    }

    static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble().ToString("0.####", CultureInfo.InvariantCulture)
            : "—";
}
