namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>How Prepare split the rows: random (train fraction, seed) or by time (column, first test instant).</summary>
public sealed record SplitSummary(string Kind, double? TrainFraction = null, ulong? Seed = null, string? Column = null, DateTime? TestFrom = null);
