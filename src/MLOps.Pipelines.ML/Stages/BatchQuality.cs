
namespace MLOps.Pipelines.ML.Stages;

/// <summary>The model's quality on one later batch of data (a month after the training period).</summary>
public sealed record BatchQuality(string Batch, long Rows, double PositiveRate, double Auc, double LogLoss);
