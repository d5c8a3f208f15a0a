using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Writes a monitoring result as <c>drift.json</c> (everything, machine-readable) and <c>drift.html</c> (one
/// self-contained page: verdict, per-feature table, a distribution plot per feature embedded as a PNG data URI, data
/// quality and performance).
/// </summary>
public static class MonitorReportWriter
{
    public const string JsonFile = "drift.json";
    public const string HtmlFile = "drift.html";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string ToJson(MonitorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var d = result.Drift;
        return JsonSerializer.Serialize(new
        {
            batch = result.Batch,
            verdict = d.Verdict,
            alarms = result.Alarms,
            drift = new
            {
                detected = d.Detected,
                drifted_features = d.DriftedCount,
                counted_features = d.CountedFeatures,
                drift_share = d.DriftShare,
                seasonal_drifted = d.SeasonalDrifted,
                reference_rows = d.ReferenceRows,
                current_rows = d.CurrentRows,
                features = d.Features,
            },
            data_quality = result.Quality is { } q ? new { alarm = q.Alarm, max_rejected_fraction = q.MaxRejectedFraction, new_categories = q.NewCategories, report = q.Report } : null,
            performance = result.Performance is { } p ? new { alarm = p.Alarm, p.Metric, p.Registered, p.Current, p.Drop, p.Tolerance, p.Rows, current_metrics = p.CurrentMetrics, registered_metrics = p.RegisteredMetrics } : null,
        }, Json) + "\n";
    }

    /// <summary>Writes both files into <paramref name="outputDirectory"/> (atomically each) and returns their paths.</summary>
    public static (string Json, string Html) Write(MonitorResult result, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var json = Path.Combine(outputDirectory, JsonFile);
        var html = Path.Combine(outputDirectory, HtmlFile);
        MLOps.Pipelines.AtomicFile.WriteAllText(json, ToJson(result));
        MLOps.Pipelines.AtomicFile.WriteAllText(html, ToHtml(result));
        return (json, html);
    }

    public static string ToHtml(MonitorResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var d = result.Drift;
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drift report: ").Append(E(result.Batch)).Append("</title>\n<style>")
         .Append("body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;margin:1rem 0}")
         .Append("td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}.drift{color:#b00;font-weight:bold}.ok{color:#070}")
         .Append(".seasonal{color:#777}img{max-width:100%}</style></head><body>\n");
        s.Append("<h1>Drift report</h1>\n<p>Batch <code>").Append(E(result.Batch)).Append("</code>: ").Append(d.CurrentRows.ToString("N0", CultureInfo.InvariantCulture))
         .Append(" rows against a reference of ").Append(d.ReferenceRows.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows.</p>\n");
        s.Append("<p class=\"").Append(d.Detected ? "drift" : "ok").Append("\" id=\"verdict\">").Append(E(d.Verdict)).Append("</p>\n");
        foreach (var line in result.Lines().Skip(1)) s.Append("<p>").Append(E(line)).Append("</p>\n");
        s.Append("<p>The data set drifts when at least ").Append(d.DriftShare.ToString("P0", CultureInfo.InvariantCulture))
         .Append(" of the counted features drift. Seasonal (calendar) features are measured and shown, but not counted.</p>\n");

        s.Append("<h2>Features</h2>\n<table><tr><th>feature</th><th>kind</th><th>role</th><th>method</th><th>score</th><th>threshold</th><th>drift</th><th>PSI</th><th>Jensen–Shannon</th><th>KS D (p)</th><th>Wasserstein (normed)</th><th>chi² (p)</th><th>missing ref / batch</th></tr>\n");
        foreach (var f in d.Features)
        {
            s.Append("<tr").Append(f.Counted ? "" : " class=\"seasonal\"").Append("><td>").Append(E(f.Feature)).Append("</td><td>").Append(f.Kind).Append(f.Kind == "numeric" && f.ComparedAsCategorical ? " (as categorical)" : "")
             .Append("</td><td>").Append(f.Role == FeatureRole.Seasonal ? "seasonal" : "regular").Append("</td><td>").Append(f.Method).Append("</td><td>").Append(N(f.Score))
             .Append("</td><td>").Append(N(f.Threshold)).Append("</td><td class=\"").Append(f.Drifted ? "drift\">yes" : "ok\">no").Append("</td><td>").Append(N(f.Psi)).Append(" (").Append(f.PsiLevel)
             .Append(")</td><td>").Append(N(f.JensenShannon)).Append("</td><td>").Append(f.KolmogorovSmirnov is { } ks ? $"{N(ks.Statistic)} ({P(ks.PValue)})" : "–")
             .Append("</td><td>").Append(f.Wasserstein is { } w ? N(w) : "–").Append("</td><td>").Append(f.ChiSquare is { } chi ? $"{N(chi.Statistic)} ({P(chi.PValue)})" : "–")
             .Append("</td><td>").Append(f.ReferenceMissing).Append(" / ").Append(f.CurrentMissing).Append("</td></tr>\n");
        }
        s.Append("</table>\n<h2>Distributions</h2>\n");
        foreach (var f in d.Features)
        {
            var png = Convert.ToBase64String(DriftPlots.Distribution(f));
            s.Append("<figure><img alt=\"").Append(E(f.Feature)).Append(" distribution\" src=\"data:image/png;base64,").Append(png).Append("\"></figure>\n");
        }

        if (result.Quality is { } q)
        {
            var r = q.Report;
            s.Append("<h2>Data quality</h2>\n<p>").Append(r.RowsRead).Append(" rows read, ").Append(r.RowsRejected).Append(" break contract <code>").Append(E(r.Contract))
             .Append("</code> (").Append(r.RejectedFraction.ToString("P2", CultureInfo.InvariantCulture)).Append("; allowed ").Append(q.MaxRejectedFraction.ToString("P2", CultureInfo.InvariantCulture))
             .Append("), ").Append(r.DuplicateRows).Append(" duplicate rows.</p>\n<table><tr><th>rule</th><th>violations</th></tr>\n");
            foreach (var (rule, count) in r.ViolationsByRule) s.Append("<tr><td>").Append(E(rule)).Append("</td><td>").Append(count).Append("</td></tr>\n");
            s.Append("</table>\n<table><tr><th>column</th><th>nulls</th><th>violations</th><th>min</th><th>max</th><th>mean</th><th>distinct</th><th>new categories</th></tr>\n");
            foreach (var c in r.Columns)
                s.Append("<tr><td>").Append(E(c.Name)).Append("</td><td>").Append(c.Nulls).Append("</td><td>").Append(c.Violations).Append("</td><td>")
                 .Append(c.Min is { } min ? N(min) : c.Earliest?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "").Append("</td><td>")
                 .Append(c.Max is { } max ? N(max) : c.Latest?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "").Append("</td><td>").Append(c.Mean is { } mean ? N(mean) : "")
                 .Append("</td><td>").Append(c.Distinct?.ToString(CultureInfo.InvariantCulture) ?? "").Append("</td><td>")
                 .Append(E(q.NewCategories.TryGetValue(c.Name, out var added) ? string.Join(", ", added) : "")).Append("</td></tr>\n");
            s.Append("</table>\n");
        }
        if (result.Performance is { } p)
        {
            s.Append("<h2>Performance</h2>\n<p class=\"").Append(p.Alarm ? "drift" : "ok").Append("\">").Append(E(p.Metric)).Append(' ').Append(N(p.Current)).Append(" on ").Append(p.Rows)
             .Append(" labelled rows vs registered ").Append(N(p.Registered)).Append(": drop ").Append(N(p.Drop)).Append(", tolerance ").Append(N(p.Tolerance)).Append(p.Alarm ? " — alarm" : "").Append("</p>\n");
            s.Append("<table><tr><th>metric</th><th>batch</th><th>registered</th></tr>\n");
            foreach (var (name, value) in p.CurrentMetrics)
                s.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(N(value)).Append("</td><td>").Append(p.RegisteredMetrics.TryGetValue(name, out var reg) ? N(reg) : "–").Append("</td></tr>\n");
            s.Append("</table>\n");
        }
        s.Append("</body></html>\n");
        return s.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double value) => double.IsInfinity(value) ? "∞" : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 1e-4 ? p.ToString("0.##E+0", CultureInfo.InvariantCulture) : p.ToString("0.####", CultureInfo.InvariantCulture);
}
