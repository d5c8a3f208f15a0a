using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// What monitoring needs besides the reference and the batch: the pipeline's raw contract and features (to read raw
/// batches), the thresholds, and — for performance monitoring — the model and its registered metrics.
/// </summary>
public sealed record MonitorSetup(SchemaContract Contract, FeatureDefinition Features)
{
    public DriftOptions Drift { get; init; } = DriftOptions.Default;

    public PerformanceOptions Performance { get; init; } = PerformanceOptions.Default;

    /// <summary>A raw batch with a larger share of rows breaking the contract raises the data-quality alarm (Ingest's default limit).</summary>
    public double MaxRejectedFraction { get; init; } = 0.01;

    /// <summary>The model (model.zip) to score labelled batches with; null skips performance monitoring.</summary>
    public string? ModelPath { get; init; }

    /// <summary>The model's registered metrics (the registry's <c>metrics</c>); null skips performance monitoring.</summary>
    public IReadOnlyDictionary<string, double>? RegisteredMetrics { get; init; }
}
