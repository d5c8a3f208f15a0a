namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// The drift of one feature. <see cref="Method"/> names the statistic that decided <see cref="Drifted"/> (its value
/// <see cref="Score"/> against <see cref="Threshold"/>); the other statistics are reported beside it. Null statistics
/// do not apply to the feature's kind.
/// </summary>
public sealed record FeatureDrift(
    string Feature,
    string Kind,
    bool ComparedAsCategorical,
    FeatureRole Role,
    string Method,
    double Score,
    double Threshold,
    bool Drifted,
    double Psi,
    string PsiLevel,
    double JensenShannon,
    TestResult? ChiSquare,
    TestResult? KolmogorovSmirnov,
    double? Wasserstein,
    long ReferenceRows,
    long CurrentRows,
    long ReferenceMissing,
    long CurrentMissing,
    IReadOnlyList<DistributionBucket> Buckets)
{
    /// <summary>Whether this feature's drift counts towards the data-set alarm.</summary>
    public bool Counted => Role == FeatureRole.Regular;
}
