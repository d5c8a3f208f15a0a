namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Every threshold of drift detection. Defaults are Evidently's: tests at p &lt; 0.05 for references of up to 1000 rows,
/// distances ≥ 0.1 above that, PSI 0.1 notable and 0.2 significant, and data-set drift when at least half the counted
/// features drift.
/// </summary>
public sealed record DriftOptions
{
    public static DriftOptions Default { get; } = new();

    public DriftMethod Method { get; init; } = DriftMethod.Auto;

    /// <summary>References with at most this many rows use the statistical tests; larger ones the distances.</summary>
    public long SmallReferenceRows { get; init; } = 1000;

    /// <summary>A test's p-value below this is drift.</summary>
    public double PValue { get; init; } = 0.05;

    /// <summary>A normalised Wasserstein or Jensen–Shannon distance at or above this is drift.</summary>
    public double DistanceThreshold { get; init; } = 0.1;

    public double PsiNotable { get; init; } = 0.1;

    public double PsiSignificant { get; init; } = 0.2;

    /// <summary>The data set drifts when at least this share of the counted (non-seasonal) features drift.</summary>
    public double DriftShare { get; init; } = 0.5;

    /// <summary>A numeric feature with at most this many distinct reference values is compared as categorical.</summary>
    public int CategoricalMaxUnique { get; init; } = 5;

    /// <summary>Numeric features with more distinct values than this are binned (equal width, <see cref="Bins"/>) for PSI and Jensen–Shannon.</summary>
    public int BinnedAboveUnique { get; init; } = 20;

    /// <summary>Bins for PSI and Jensen–Shannon of numeric features (over the combined range of both data sets).</summary>
    public int Bins { get; init; } = 30;

    /// <summary>Features whose role is <see cref="FeatureRole.Seasonal"/>: reported, not counted towards the alarm.</summary>
    public IReadOnlyList<string> SeasonalFeatures { get; init; } = [];

    /// <summary>Throws naming the option when a value cannot work.</summary>
    public void Validate()
    {
        Require(SmallReferenceRows >= 0, nameof(SmallReferenceRows), SmallReferenceRows, "at least 0");
        Require(PValue is > 0 and < 1, nameof(PValue), PValue, "in (0, 1)");
        Require(DistanceThreshold > 0, nameof(DistanceThreshold), DistanceThreshold, "above 0");
        Require(PsiNotable > 0 && PsiSignificant >= PsiNotable, nameof(PsiSignificant), PsiSignificant, $"above 0 and at least PsiNotable ({PsiNotable})");
        Require(DriftShare is > 0 and <= 1, nameof(DriftShare), DriftShare, "in (0, 1]");
        Require(CategoricalMaxUnique >= 0, nameof(CategoricalMaxUnique), CategoricalMaxUnique, "at least 0");
        Require(Bins >= 2, nameof(Bins), Bins, "at least 2");
    }

    private static void Require(bool ok, string name, object value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"drift option {name} = {value} must be {rule}");
    }
}
