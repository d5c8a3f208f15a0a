using System.Globalization;
using System.Text;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Tasks;
using ScottPlot;

namespace MLOps.Pipelines.ML.Explain;

/// <summary>Writes the importance table as JSON, Markdown and CSV, and a horizontal bar plot.</summary>
public static class ImportanceWriter
{
    public static ImportanceFiles Write(IReadOnlyList<FeatureImportance> importances, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new ImportanceFiles(
            Path.Combine(directory, ImportanceReport.FileName), Path.Combine(directory, "importance.md"),
            Path.Combine(directory, "importance.csv"), Path.Combine(directory, "importance.png"));
        var png = Plot(importances);
        var metric = importances.FirstOrDefault()?.Metric ?? "auc";
        new ImportanceReport(metric, ModelTask.HigherIsBetter(metric), importances).Write(files.Json);
        AtomicFile.WriteAllText(files.Markdown, Markdown(importances));
        AtomicFile.WriteAllText(files.Csv, Csv(importances));
        AtomicFile.WriteAllBytes(files.Png, png);
        return files;
    }

    public static string Markdown(IReadOnlyList<FeatureImportance> importances)
    {
        var metric = ModelTask.Display(importances.FirstOrDefault()?.Metric ?? "auc");
        var text = new StringBuilder($"| rank | feature | kind | {metric} drop | ± std |\n|---:|---|---|---:|---:|\n");
        foreach (var i in importances)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {i.Rank} | {i.Feature} | {i.Kind} | {i.Drop:0.0000} | {i.DropStdDev:0.0000} |\n");
        }

        return text.ToString();
    }

    public static string Csv(IReadOnlyList<FeatureImportance> importances)
    {
        var text = new StringBuilder("rank,feature,kind,metric,baseline,drop,drop_std\n");
        foreach (var i in importances)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{i.Rank},\"{i.Feature.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{i.Kind},{i.Metric},{i.Baseline:0.######},{i.Drop:0.######},{i.DropStdDev:0.######}\n");
        }

        return text.ToString();
    }

    private static byte[] Plot(IReadOnlyList<FeatureImportance> importances)
    {
        var plot = new Plot();
        // Most important on top: bar positions count down from the first rank.
        var positions = importances.Select((_, i) => (double)(importances.Count - i)).ToArray();
        var bars = plot.Add.Bars(positions, importances.Select(i => i.Drop).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, importances.Select(i => i.Feature).ToArray());
        plot.Title("Permutation importance (raw columns)");
        plot.XLabel($"Mean {ModelTask.Display(importances.FirstOrDefault()?.Metric ?? "auc")} drop when shuffled");
        return plot.GetImageBytes(720, Math.Max(240, 60 + 32 * importances.Count), ImageFormat.Png);
    }
}
