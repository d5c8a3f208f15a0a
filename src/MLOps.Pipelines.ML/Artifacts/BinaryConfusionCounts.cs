namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>Binary counts at the decision threshold.</summary>
public sealed record BinaryConfusionCounts(long Tp, long Fp, long Tn, long Fn);
