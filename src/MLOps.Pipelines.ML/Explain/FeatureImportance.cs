namespace MLOps.Pipelines.ML.Explain;

/// <summary>
/// How much the test AUC drops when one raw input column is shuffled (mean and standard deviation over repeats).
/// Rank 1 is the most important feature.
/// </summary>
public sealed record FeatureImportance(int Rank, string Feature, string Kind, double BaselineAuc, double AucDrop, double AucDropStdDev);
