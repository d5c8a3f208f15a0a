using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// The data stages of one pipeline, given its schema contract and its features: Ingest (validate the raw file into
/// typed Parquet) and Prepare (features and split). A pipeline declares what is specific to it; this does the rest.
/// </summary>
public sealed record DataStages(SchemaContract Schema, FeatureDefinition Features)
{
    /// <summary>The default split: random 80/20 with seed 42.</summary>
    public RandomSplit RandomSplit { get; init; } = new(0.8, 42);

    public FeatureSpec FeatureSpec => Features.Spec;

    public Task<IngestResult> IngestAsync(string rawPath, string outputDirectory, IngestOptions? options = null, CancellationToken ct = default) =>
        IngestStage.RunAsync(rawPath, Schema, outputDirectory, options, ct);

    /// <summary>Prepares Ingest's data.parquet; <paramref name="split"/> defaults to <see cref="RandomSplit"/>.</summary>
    public Task<PrepareResult> PrepareAsync(string ingestedPath, string outputDirectory, DataSplit? split = null, CancellationToken ct = default) =>
        PrepareStage.RunAsync(ingestedPath, Features, split ?? RandomSplit, outputDirectory, ct);
}
