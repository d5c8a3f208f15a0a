namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>One bucket of a feature's compared distributions: a category, a value, or a bin; shares of non-missing rows.</summary>
public sealed record DistributionBucket(string Label, double ReferenceShare, double CurrentShare);
