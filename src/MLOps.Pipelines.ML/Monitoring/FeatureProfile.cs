namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Per-feature distributions of one data set (the training reference, a new batch, or a live summary): what drift
/// detection compares. Each feature is either numeric or categorical.
/// </summary>
public sealed record FeatureProfile(
    long Rows,
    IReadOnlyDictionary<string, NumericDistribution> Numeric,
    IReadOnlyDictionary<string, CategoricalDistribution> Categorical)
{
    public IEnumerable<string> Features => Numeric.Keys.Concat(Categorical.Keys);
}
