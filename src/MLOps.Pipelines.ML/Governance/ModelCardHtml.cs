using System.Net;
using System.Text;
using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>A card as one self-contained HTML page (no scripts, no external resources), every text HTML-encoded.</summary>
public static class ModelCardHtml
{
    const string Style = """
        body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
        h1{font-size:1.7rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5rem 0 1.2rem;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
        th,td{border:1px solid #ddd;padding:.25rem .55rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
        dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}
        """;

    public static string Render(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var w = new StringBuilder();
        w.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(card.Title)).Append("</title>\n<style>")
            .Append(Style).Append("</style></head>\n<body>\n<h1>").Append(E(card.Title)).Append("</h1>\n<dl>");
        foreach (var (key, value) in card.Facts) w.Append("<dt>").Append(E(key)).Append("</dt><dd>").Append(E(value)).Append("</dd>");
        w.Append("</dl>\n");
        foreach (var section in card.Sections)
        {
            w.Append("<section><h2>").Append(E(section.Title)).Append("</h2>\n");
            foreach (var paragraph in section.Paragraphs) w.Append("<p>").Append(E(paragraph)).Append("</p>\n");
            foreach (var table in section.Tables) Table(w, table);
            w.Append("</section>\n");
        }
        return w.Append("</body></html>\n").ToString();
    }

    static void Table(StringBuilder w, ReportTable table)
    {
        w.Append("<table><caption>").Append(E(table.Caption)).Append("</caption>\n<tr>");
        foreach (var column in table.Columns) w.Append("<th>").Append(E(column)).Append("</th>");
        w.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            w.Append("<tr>");
            foreach (var cell in row) w.Append("<td>").Append(E(cell)).Append("</td>");
            w.Append("</tr>\n");
        }
        w.Append("</table>\n");
    }

    static string E(string text) => WebUtility.HtmlEncode(text);
}
