using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace MLOps.Pipelines.ML.Explain;

public sealed record ImportanceFiles(string Json, string Markdown, string Csv, string Png);

/// <summary>Writes the importance table as JSON, Markdown and CSV, and a horizontal bar plot.</summary>
public static class ImportanceWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static ImportanceFiles Write(IReadOnlyList<FeatureImportance> importances, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new ImportanceFiles(
            Path.Combine(directory, "importance.json"), Path.Combine(directory, "importance.md"),
            Path.Combine(directory, "importance.csv"), Path.Combine(directory, "importance.png"));
        var png = Plot(importances);
        AtomicFile.WriteAllText(files.Json, JsonSerializer.Serialize(importances, JsonOptions) + "\n");
        AtomicFile.WriteAllText(files.Markdown, Markdown(importances));
        AtomicFile.WriteAllText(files.Csv, Csv(importances));
        AtomicFile.WriteAllBytes(files.Png, png);
        return files;
    }

    public static string Markdown(IReadOnlyList<FeatureImportance> importances)
    {
        var text = new StringBuilder("| rank | feature | kind | AUC drop | ± std |\n|---:|---|---|---:|---:|\n");
        foreach (var i in importances)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {i.Rank} | {i.Feature} | {i.Kind} | {i.AucDrop:0.0000} | {i.AucDropStdDev:0.0000} |\n");
        }

        return text.ToString();
    }

    public static string Csv(IReadOnlyList<FeatureImportance> importances)
    {
        var text = new StringBuilder("rank,feature,kind,baseline_auc,auc_drop,auc_drop_std\n");
        foreach (var i in importances)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{i.Rank},\"{i.Feature.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{i.Kind},{i.BaselineAuc:0.######},{i.AucDrop:0.######},{i.AucDropStdDev:0.######}\n");
        }

        return text.ToString();
    }

    private static byte[] Plot(IReadOnlyList<FeatureImportance> importances)
    {
        var plot = new Plot();
        // Most important on top: bar positions count down from the first rank.
        var positions = importances.Select((_, i) => (double)(importances.Count - i)).ToArray();
        var bars = plot.Add.Bars(positions, importances.Select(i => i.AucDrop).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, importances.Select(i => i.Feature).ToArray());
        plot.Title("Permutation importance (raw columns)");
        plot.XLabel("Mean AUC drop when shuffled");
        return plot.GetImageBytes(720, Math.Max(240, 60 + 32 * importances.Count), ImageFormat.Png);
    }
}
