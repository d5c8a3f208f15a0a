using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.ML.Stages;

public sealed record ExportStageResult(string OnnxPath, OnnxParity Parity, ParityReport Report);
