namespace MLOps.Pipelines.ML.Explain;

/// <summary>
/// How much worse <paramref name="Metric"/> gets on the test rows when one raw input column is shuffled (mean and
/// standard deviation over repeats; positive = the feature matters). Rank 1 is the most important feature.
/// </summary>
public sealed record FeatureImportance(int Rank, string Feature, string Kind, string Metric, double Baseline, double Drop, double DropStdDev);
