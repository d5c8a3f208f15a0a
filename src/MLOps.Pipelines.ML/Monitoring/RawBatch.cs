namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// A raw batch read for monitoring: its feature profile (accepted rows only), its data quality, whether it carries the
/// label, and — when it does and a path was given — the prepared rows written as Parquet for scoring.
/// </summary>
public sealed record RawBatch(FeatureProfile Profile, BatchQuality Quality, bool Labelled, string? PreparedPath);
