using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Features;

/// <summary>How Prepare divides rows into train and test (and, for a time split, later batches).</summary>
public abstract record DataSplit;
