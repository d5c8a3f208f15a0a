namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Counts at the decision threshold.</summary>
public sealed record ConfusionMatrix(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives);
