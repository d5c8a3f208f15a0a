using ScottPlot;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Renders the evaluation curves as PNG bytes with ScottPlot (SkiaSharp underneath).</summary>
internal static class EvaluationPlots
{
    private const int Width = 640;
    private const int Height = 480;

    public static byte[] Roc(EvaluationCurves curves, double auc)
    {
        var plot = new Plot();
        Line(plot, curves.Roc.Select(p => p.X), curves.Roc.Select(p => p.Y), $"model (AUC {auc:0.000})");
        Diagonal(plot, "chance");
        return Finish(plot, "ROC curve", "False positive rate", "True positive rate");
    }

    public static byte[] PrecisionRecall(EvaluationCurves curves, double prAuc, double positiveRate)
    {
        var plot = new Plot();
        Line(plot, curves.PrecisionRecall.Select(p => p.X), curves.PrecisionRecall.Select(p => p.Y), $"model (AP {prAuc:0.000})");
        Line(plot, [0.0, 1.0], [positiveRate, positiveRate], "base rate");
        return Finish(plot, "Precision-recall curve", "Recall", "Precision");
    }

    public static byte[] Calibration(EvaluationCurves curves)
    {
        var plot = new Plot();
        var line = Line(plot, curves.Calibration.Select(b => b.MeanPredicted), curves.Calibration.Select(b => b.ObservedRate), "model");
        line.MarkerSize = 7;
        Diagonal(plot, "perfectly calibrated");
        return Finish(plot, "Calibration", "Mean predicted probability", "Observed positive rate");
    }

    public static byte[] ScoreHistogram(ScoreHistogram histogram)
    {
        var plot = new Plot();
        var centers = histogram.BinEdges.Zip(histogram.BinEdges.Skip(1), (a, b) => (a + b) / 2).ToArray();
        double positives = Math.Max(1, histogram.Positives.Sum()), negatives = Math.Max(1, histogram.Negatives.Sum());
        var pos = Line(plot, centers, histogram.Positives.Select(c => c / positives), "positives");
        var neg = Line(plot, centers, histogram.Negatives.Select(c => c / negatives), "negatives");
        pos.ConnectStyle = ConnectStyle.StepVertical;
        neg.ConnectStyle = ConnectStyle.StepVertical;
        plot.ShowLegend();
        plot.Title("Score distribution by class");
        plot.XLabel("Predicted probability");
        plot.YLabel("Share of class");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>Actual classes as rows (top to bottom), predicted as columns; each cell shaded by its share of the row.</summary>
    public static byte[] ConfusionMatrix(MulticlassMetrics metrics)
    {
        var plot = new Plot();
        var n = metrics.Classes.Count;
        for (var actual = 0; actual < n; actual++)
        {
            var rowTotal = Math.Max(1, metrics.Confusion[actual].Sum());
            for (var predicted = 0; predicted < n; predicted++)
            {
                var count = metrics.Confusion[actual][predicted];
                var share = (double)count / rowTotal;
                double y = n - 1 - actual; // first class on top
                var cell = plot.Add.Rectangle(predicted, predicted + 1, y, y + 1);
                cell.FillStyle.Color = Colors.SteelBlue.WithAlpha(0.1 + (0.9 * share));
                cell.LineStyle.Color = Colors.White;
                var text = plot.Add.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture), predicted + 0.5, y + 0.5);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 16;
                text.LabelFontColor = share > 0.5 ? Colors.White : Colors.Black;
            }
        }

        var centers = Enumerable.Range(0, n).Select(i => i + 0.5).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centers, [.. metrics.Classes]);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(centers, [.. metrics.Classes.Reverse()]);
        plot.Axes.SetLimits(0, n, 0, n);
        plot.Title($"Confusion matrix (macro-F1 {metrics.MacroF1:0.000})");
        plot.XLabel("Predicted class");
        plot.YLabel("Actual class");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, IEnumerable<double> xs, IEnumerable<double> ys, string legend)
    {
        var scatter = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
        scatter.MarkerSize = 0;
        scatter.LineWidth = 2;
        scatter.LegendText = legend;
        return scatter;
    }

    private static void Diagonal(Plot plot, string legend)
    {
        var line = Line(plot, [0.0, 1.0], [0.0, 1.0], legend);
        line.LinePattern = LinePattern.Dashed;
        line.LineWidth = 1;
    }

    private static byte[] Finish(Plot plot, string title, string x, string y)
    {
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
