using ScottPlot;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>One feature's reference and batch distributions side by side as a PNG (ScottPlot bars).</summary>
internal static class DriftPlots
{
    private const int Width = 720;
    private const int Height = 320;

    public static byte[] Distribution(FeatureDrift feature)
    {
        var plot = new Plot();
        var buckets = feature.Buckets;
        var positions = Enumerable.Range(0, buckets.Count).Select(i => (double)i).ToArray();
        var reference = plot.Add.Bars(positions.Select(p => p - 0.2).ToArray(), buckets.Select(b => b.ReferenceShare).ToArray());
        var current = plot.Add.Bars(positions.Select(p => p + 0.2).ToArray(), buckets.Select(b => b.CurrentShare).ToArray());
        foreach (var bar in reference.Bars) bar.Size = 0.4;
        foreach (var bar in current.Bars) bar.Size = 0.4;
        reference.Color = Colors.SteelBlue;
        current.Color = Colors.OrangeRed;
        reference.LegendText = "reference";
        current.LegendText = "batch";
        // Label at most ~16 buckets so the axis stays readable.
        var step = Math.Max(1, (int)Math.Ceiling(buckets.Count / 16.0));
        var ticks = positions.Where(p => (int)p % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, ticks.Select(p => Shorten(buckets[(int)p].Label)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = buckets.Count > 8 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = buckets.Count > 8 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend();
        plot.Title($"{feature.Feature}: {feature.Method} {feature.Score:0.###}{(feature.Drifted ? " (drift)" : "")}");
        plot.YLabel("Share of rows");
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    private static string Shorten(string label) => label.Length <= 14 ? label : label[..13] + "…";
}
