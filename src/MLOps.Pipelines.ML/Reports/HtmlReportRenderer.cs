using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace MLOps.Pipelines.ML.Reports;

/// <summary>
/// Renders a <see cref="RunReport"/> as one self-contained HTML page: CSS inline, images as data: URIs, no script,
/// and a Content-Security-Policy that forbids any request, so the page shows the same offline, attached to a CI run
/// or mailed. Pure: the same report and images give the same bytes. Every value is HTML-encoded.
/// </summary>
internal static class HtmlReportRenderer
{
    public const string ContentSecurityPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

    /// <summary>Section ids, in page order; tests and links rely on them.</summary>
    public static readonly IReadOnlyList<(string Id, string Heading)> Sections =
    [
        ("metrics", "Metrics"),
        ("plots", "Plots"),
        ("data-quality", "Data quality"),
        ("fairness", "Fairness"),
        ("feature-importance", "Feature importance"),
        ("lineage", "Lineage"),
        ("metrics-diff", "Metrics diff"),
    ];

    // All of Unicode passes through readable (the page is UTF-8); markup characters and + are still encoded.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    const string Css = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --good: #1a7f37; --bad: #cf222e; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); }
        h1 { font-size: 26px; margin: 0 0 8px; }
        h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 15px; margin: 16px 0 8px; }
        nav { margin: 12px 0; display: flex; flex-wrap: wrap; gap: 12px; }
        nav a { color: #0969da; text-decoration: none; }
        dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; color: var(--muted); }
        dl.summary dt { font-weight: 600; }
        dl.summary dd { margin: 0; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 130px; background: var(--bg); }
        .card .name { display: block; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { display: block; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .figures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
        figure img { display: block; max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
        table { border-collapse: collapse; margin: 0 0 12px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; white-space: nowrap; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
        th { background: var(--bg); }
        td.digest, code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
        .better { color: var(--good); }
        .worse { color: var(--bad); }
        .empty { color: var(--muted); font-style: italic; }
        footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
        """;

    public static string Render(RunReport report, Func<ReportImage, PngImage> loadImage)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(report.Title, nameof(report));
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append($"<title>{E(report.Title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n");

        html.Append($"<header>\n<h1>{E(report.Title)}</h1>\n");
        if (report.Summary.Count > 0)
        {
            html.Append("<dl class=\"summary\">\n");
            foreach (var (key, value) in report.Summary)
                html.Append($"<dt>{E(key)}</dt><dd>{E(value)}</dd>\n");
            html.Append("</dl>\n");
        }
        html.Append("<nav>");
        foreach (var (id, heading) in Sections)
            html.Append($"<a href=\"#{id}\">{E(heading)}</a>");
        html.Append("</nav>\n</header>\n");

        Section(html, "metrics", report.Metrics.Count > 0, body =>
        {
            body.Append("<div class=\"cards\">\n");
            foreach (var metric in report.Metrics)
                body.Append($"<div class=\"card\"><span class=\"name\">{E(metric.Name)}</span><span class=\"value\">{E(Number(metric.Value))}</span></div>\n");
            body.Append("</div>\n");
        });
        Section(html, "plots", report.Plots.Count > 0, body => Figures(body, report.Plots, loadImage));
        Section(html, "data-quality", report.DataQuality.Count > 0, body => Tables(body, report.DataQuality));
        Section(html, "fairness", report.Fairness.Count > 0, body => Tables(body, report.Fairness));
        Section(html, "feature-importance", report.FeatureImportance is not null || report.FeatureImportancePlot is not null, body =>
        {
            if (report.FeatureImportance is { } table) Table(body, table);
            if (report.FeatureImportancePlot is { } plot) Figures(body, [plot], loadImage);
        });
        Section(html, "lineage", report.Lineage is not null, body => Lineage(body, report.Lineage!));
        Section(html, "metrics-diff", report.MetricsDiff is not null, body => Diff(body, report.MetricsDiff!));

        html.Append("<footer>Generated by MLOps.Pipelines. Self-contained: no scripts, no external requests.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    static void Section(StringBuilder html, string id, bool hasContent, Action<StringBuilder> body)
    {
        var heading = Sections.Single(s => s.Id == id).Heading;
        html.Append($"<section id=\"{id}\">\n<h2>{E(heading)}</h2>\n");
        if (hasContent) body(html);
        else html.Append("<p class=\"empty\">Not recorded for this run.</p>\n");
        html.Append("</section>\n");
    }

    static void Figures(StringBuilder html, IEnumerable<ReportImage> images, Func<ReportImage, PngImage> loadImage)
    {
        html.Append("<div class=\"figures\">\n");
        foreach (var image in images)
        {
            var png = loadImage(image);
            html.Append($"<figure><img src=\"data:image/png;base64,{Convert.ToBase64String(png.Bytes)}\" width=\"{png.Width}\" height=\"{png.Height}\" alt=\"{E(image.Caption)}\">");
            html.Append($"<figcaption>{E(image.Caption)}</figcaption></figure>\n");
        }
        html.Append("</div>\n");
    }

    static void Tables(StringBuilder html, IEnumerable<ReportTable> tables)
    {
        foreach (var table in tables) Table(html, table);
    }

    static void Table(StringBuilder html, ReportTable table)
    {
        for (var row = 0; row < table.Rows.Count; row++)
            if (table.Rows[row].Count != table.Columns.Count)
                throw new ArgumentException(
                    $"Report table '{table.Caption}': row {row + 1} has {table.Rows[row].Count} cells but the table has {table.Columns.Count} columns ({string.Join(", ", table.Columns)}).");
        html.Append($"<table>\n<caption>{E(table.Caption)}</caption>\n<thead><tr>");
        foreach (var column in table.Columns) html.Append($"<th>{E(column)}</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        if (table.Rows.Count == 0)
            html.Append($"<tr><td colspan=\"{Math.Max(1, table.Columns.Count)}\" class=\"empty\">No rows.</td></tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append($"<td>{E(cell)}</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    static void Lineage(StringBuilder html, ReportLineage lineage)
    {
        var model = new List<(string, string)>();
        if (lineage.ModelVersion is { } version) model.Add(("Model version", $"v{version}"));
        if (lineage.ModelAliases is { Count: > 0 } aliases) model.Add(("Aliases", string.Join(", ", aliases)));
        if (lineage.ModelSha256 is { } sha) model.Add(("Model sha256", sha));
        model.Add(("Code fingerprint", lineage.CodeFingerprint));
        model.Add(("Git commit", lineage.GitCommit));
        KeyValues(html, "Model and code", model);
        KeyValues(html, "Data", lineage.DataDigests.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, d.Value)));
        KeyValues(html, "Parameters", lineage.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    static void KeyValues(StringBuilder html, string caption, IEnumerable<(string Key, string Value)> pairs)
    {
        html.Append($"<table class=\"key-values\">\n<caption>{E(caption)}</caption>\n<tbody>\n");
        var any = false;
        foreach (var (key, value) in pairs)
        {
            any = true;
            html.Append($"<tr><th scope=\"row\">{E(key)}</th><td class=\"digest\">{E(value)}</td></tr>\n");
        }
        if (!any) html.Append("<tr><td class=\"empty\">None.</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
    }

    static void Diff(StringBuilder html, ReportMetricsDiff diff)
    {
        html.Append($"<table>\n<caption>Against {E(diff.Against)}</caption>\n");
        html.Append("<thead><tr><th>Metric</th><th>Previous</th><th>Current</th><th>Change</th></tr></thead>\n<tbody>\n");
        foreach (var change in diff.Changes)
        {
            var (text, css) = Change(change);
            html.Append($"<tr><td>{E(change.Name)}</td><td>{E(Optional(change.Previous))}</td><td>{E(Optional(change.Current))}</td>");
            html.Append(css is null ? $"<td>{E(text)}</td></tr>\n" : $"<td class=\"{css}\">{E(text)}</td></tr>\n");
        }
        if (diff.Changes.Count == 0)
            html.Append("<tr><td colspan=\"4\" class=\"empty\">No metrics to compare.</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
    }

    /// <summary>The change as text and, when the direction is known, whether it is better or worse (said in words too, not by colour alone).</summary>
    static (string Text, string? Css) Change(MetricChange change)
    {
        if (change.Previous is not { } previous) return ("new", null);
        if (change.Current is not { } current) return ("removed", null);
        var delta = current - previous;
        var text = delta == 0 ? "unchanged" : (delta > 0 ? "+" : "") + Number(delta);
        if (delta == 0 || change.HigherIsBetter is not { } higherIsBetter) return (text, null);
        return (delta > 0) == higherIsBetter ? (text + " (better)", "better") : (text + " (worse)", "worse");
    }

    static string Optional(double? value) => value is { } v ? Number(v) : "—";

    /// <summary>Four decimals for ordinary metric values, scientific notation for tiny ones, so no value reads as zero.</summary>
    internal static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "∞" : "-∞";
        var magnitude = Math.Abs(value);
        return magnitude != 0 && magnitude < 0.001
            ? value.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    static string E(string? text) => Encoder.Encode(text ?? "");
}
