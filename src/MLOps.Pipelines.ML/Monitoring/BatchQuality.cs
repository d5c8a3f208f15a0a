using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// The ingest contract applied to a new batch: the data-quality report (schema, nulls, ranges, categories per column)
/// and the categories the contract does not know, per column. <see cref="Alarm"/> when more rows broke the contract
/// than the allowed share (the same limit Ingest applies).
/// </summary>
public sealed record BatchQuality(
    DataQualityReport Report,
    IReadOnlyDictionary<string, IReadOnlyList<string>> NewCategories,
    double MaxRejectedFraction)
{
    public bool Alarm => Report.RejectedFraction > MaxRejectedFraction;
}
