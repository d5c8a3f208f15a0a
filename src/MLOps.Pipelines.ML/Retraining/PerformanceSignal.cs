using System.Globalization;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// The model's metric on a labelled batch against the value registered with it. The alarm fires when the metric is
/// worse than registered by more than <paramref name="Tolerance"/>.
/// </summary>
/// <param name="HigherIsBetter">False for losses (log-loss, Brier score).</param>
public sealed record PerformanceSignal(string Metric, double Registered, double Observed, double Tolerance, bool HigherIsBetter = true)
{
    /// <summary>How much worse than registered (negative when better).</summary>
    public double Drop => HigherIsBetter ? Registered - Observed : Observed - Registered;

    public bool Alarm => Drop > Tolerance;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Metric} {Observed:0.####} vs registered {Registered:0.####}: {(Drop >= 0 ? "down" : "up")} {Math.Abs(Drop):0.####} (tolerance {Tolerance:0.####})");
}
