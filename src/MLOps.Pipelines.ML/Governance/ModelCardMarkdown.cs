using System.Text;
using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>A card as GitHub-flavoured Markdown: reviewable in a pull request beside registry.json.</summary>
public static class ModelCardMarkdown
{
    public static string Render(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var w = new StringBuilder();
        w.Append("# ").Append(Inline(card.Title)).Append("\n\n");
        foreach (var (key, value) in card.Facts) w.Append("- **").Append(Inline(key)).Append("**: ").Append(Inline(value)).Append('\n');
        foreach (var section in card.Sections)
        {
            if (w[^2] != '\n') w.Append('\n'); // one blank line before a heading, whatever came before
            w.Append("## ").Append(Inline(section.Title)).Append("\n\n");
            foreach (var paragraph in section.Paragraphs) w.Append(Inline(paragraph)).Append("\n\n");
            foreach (var table in section.Tables) Table(w, table);
        }
        return w.ToString().TrimEnd('\n') + "\n";
    }

    static void Table(StringBuilder w, ReportTable table)
    {
        w.Append("**").Append(Inline(table.Caption)).Append("**\n\n");
        w.Append("| ").Append(string.Join(" | ", table.Columns.Select(Cell))).Append(" |\n");
        w.Append('|').Append(string.Concat(table.Columns.Select(_ => " --- |"))).Append('\n');
        foreach (var row in table.Rows) w.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        w.Append('\n');
    }

    // A pipe would end the cell, a newline the row; text from the registry (a why) may hold either.
    static string Cell(string text) => Inline(text).Replace("|", "\\|", StringComparison.Ordinal);

    // Angle brackets would be taken for HTML tags (and dropped by GitHub's sanitizer).
    static string Inline(string text) => text.Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ')
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
