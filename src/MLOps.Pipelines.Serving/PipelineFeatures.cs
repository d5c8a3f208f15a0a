using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.Serving;

/// <summary>
/// What a served model needs from its pipeline's code: the raw schema clients send and the feature definition that
/// turns it into model inputs (the very objects Ingest and Prepare use). The host resolves them from model.json.
/// </summary>
public sealed record PipelineFeatures(SchemaContract Schema, FeatureDefinition Features);
