namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// Which columns of a prepared Parquet file (<c>train.parquet</c>, <c>test.parquet</c>, batches) the model uses:
/// the bool label, numeric features (float32, NaN = missing) and categorical features (string, null = missing).
/// </summary>
public sealed record FeatureSpec(string Label, IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical)
{
    /// <summary>Columns to slice metrics by for fairness (each is also a numeric or categorical feature).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Numeric then categorical feature names.</summary>
    public IReadOnlyList<string> Features => [.. Numeric, .. Categorical];
}
