using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>The files Ingest wrote (inside the output directory) and the quality report it also wrote there.</summary>
public sealed record IngestResult(string DataPath, string QualityPath, string QuarantinePath, DataQualityReport Quality);
