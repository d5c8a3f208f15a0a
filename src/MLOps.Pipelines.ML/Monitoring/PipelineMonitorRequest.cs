using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// What Monitor watches for one pipeline: the batch (a local file in the raw schema, prepared Parquet or feature
/// summaries; null for the pipeline's held-out data), the thresholds, and — for performance — the model and the
/// registered champion's metrics.
/// </summary>
public sealed record PipelineMonitorRequest(PipelineDefinition Pipeline, PipelineArtifacts Paths)
{
    public string? Batch { get; init; }

    /// <summary>The thresholds; the pipeline's seasonal features are added to <see cref="DriftOptions.SeasonalFeatures"/>.</summary>
    public DriftOptions Drift { get; init; } = DriftOptions.Default;

    public PerformanceOptions? Performance { get; init; }

    public double MaxRejectedFraction { get; init; } = 0.01;

    public string? ModelPath { get; init; }

    public IReadOnlyDictionary<string, double>? RegisteredMetrics { get; init; }
}
