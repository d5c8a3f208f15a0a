using System.Globalization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Drift of a batch against the reference, per feature and for the data set: the data set drifts when at least
/// <see cref="DriftShare"/> of the counted (non-seasonal) features drift.
/// </summary>
public sealed record DriftReport(
    long ReferenceRows,
    long CurrentRows,
    double DriftShare,
    IReadOnlyList<FeatureDrift> Features)
{
    /// <summary>Counted features that drifted.</summary>
    public int DriftedCount => Features.Count(f => f.Counted && f.Drifted);

    /// <summary>Features that count towards the alarm (all but the seasonal ones).</summary>
    public int CountedFeatures => Features.Count(f => f.Counted);

    /// <summary>The data-set alarm.</summary>
    public bool Detected => CountedFeatures > 0 && DriftedCount >= DriftShare * CountedFeatures;

    /// <summary>Seasonal features that drifted: reported, not alarming.</summary>
    public IReadOnlyList<string> SeasonalDrifted => Features.Where(f => !f.Counted && f.Drifted).Select(f => f.Feature).ToList();

    /// <summary>The one verdict line: <c>drift: detected (k of n features)</c> or <c>drift: none (k of n features)</c>.</summary>
    public string Verdict => string.Create(CultureInfo.InvariantCulture,
        $"drift: {(Detected ? "detected" : "none")} ({DriftedCount} of {CountedFeatures} features)");
}
