namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Score histogram bin counts for each class over equal-width probability bins in [0, 1].</summary>
public sealed record ScoreHistogram(double[] BinEdges, long[] Positives, long[] Negatives);
