using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Tests.Reports;

/// <summary>A run report shaped like the pipeline's, with real PNG plots drawn by ScottPlot.</summary>
internal static class ReportSamples
{
    public static AbsolutePath RocCurve(AbsolutePath directory)
    {
        var plot = new ScottPlot.Plot();
        var fpr = Enumerable.Range(0, 51).Select(i => i / 50.0).ToArray();
        plot.Add.Scatter(fpr, fpr.Select(x => Math.Pow(x, 0.3)).ToArray());
        plot.Add.Scatter(new[] { 0.0, 1.0 }, new[] { 0.0, 1.0 });
        plot.Title("ROC curve");
        plot.XLabel("False positive rate");
        plot.YLabel("True positive rate");
        var file = directory / "roc.png";
        plot.SavePng(file, 480, 360);
        return file;
    }

    public static AbsolutePath Calibration(AbsolutePath directory)
    {
        var plot = new ScottPlot.Plot();
        var bins = Enumerable.Range(1, 10).Select(i => i / 10.0 - 0.05).ToArray();
        plot.Add.Scatter(bins, bins.Select(p => Math.Clamp(p + 0.04 * Math.Sin(10 * p), 0, 1)).ToArray());
        plot.Title("Calibration");
        var file = directory / "calibration.png";
        plot.SavePng(file, 400, 300);
        return file;
    }

    public static AbsolutePath Importance(AbsolutePath directory)
    {
        var plot = new ScottPlot.Plot();
        plot.Add.Bars(new[] { 0.12, 0.07, 0.03, 0.01 });
        plot.Title("Permutation importance (AUC drop)");
        var file = directory / "importance.png";
        plot.SavePng(file, 420, 300);
        return file;
    }

    public static RunReport Report(AbsolutePath directory) => new()
    {
        Title = "FlightDelays — run 2025-03-01 09:00",
        Summary = [new("Pipeline", "FlightDelays"), new("Split", "random 80/20, seed 42")],
        Metrics = [new("auc", 0.8512), new("accuracy", 0.8123), new("log_loss", 0.3781), new("brier", 0.00042)],
        Plots = [new("ROC curve", RocCurve(directory)), new("Calibration", Calibration(directory))],
        DataQuality =
        [
            new("Columns", ["column", "type", "nulls", "min", "max"],
            [
                ["dep_delay", "float", "1204", "-30", "1440"],
                ["origin", "string", "0", "—", "—"],
            ]),
            new("Rows", ["stage", "rows"], [["read", "3000000"], ["quarantined", "17"]]),
        ],
        Fairness =
        [
            new("By origin airport", ["group", "rows", "positive rate", "TPR"],
            [
                ["ATL", "150000", "0.21", "0.64"],
                ["ORD", "120000", "0.25", "0.61"],
            ]),
        ],
        FeatureImportance = new("Permutation importance", ["feature", "AUC drop"],
            [["dep_hour", "0.12"], ["origin", "0.07"], ["month", "0.03"], ["carrier", "0.01"]]),
        FeatureImportancePlot = new("Permutation importance", Importance(directory)),
        Lineage = new ReportLineage(
            new Dictionary<string, string> { ["flights"] = new string('d', 64) },
            "fp-3f2a",
            new Dictionary<string, string> { ["Trees"] = "500", ["Leaves"] = "127" },
            "0123456789abcdef0123456789abcdef01234567",
            ModelVersion: 3,
            ModelSha256: new string('e', 64),
            ModelAliases: ["challenger", "champion"]),
        MetricsDiff = new ReportMetricsDiff("previous run",
        [
            new("auc", 0.8421, 0.8512, HigherIsBetter: true),
            new("log_loss", 0.3700, 0.3781, HigherIsBetter: false),
            new("accuracy", 0.8123, 0.8123, HigherIsBetter: true),
            new("pr_auc", null, 0.61),
        ]),
    };
}
