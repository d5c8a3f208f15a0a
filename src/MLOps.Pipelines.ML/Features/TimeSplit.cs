
namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// Rows before <see cref="TestFrom"/> (by <see cref="TimestampColumn"/>) train; the rest test, and each calendar
/// month of the test period is also written as its own batch (<c>batch-yyyy-MM.parquet</c>) for monitoring.
/// </summary>
public sealed record TimeSplit(string TimestampColumn, DateTime TestFrom) : DataSplit;
