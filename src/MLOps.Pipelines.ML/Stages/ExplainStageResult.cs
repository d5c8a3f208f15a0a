using MLOps.Pipelines.ML.Explain;

namespace MLOps.Pipelines.ML.Stages;

public sealed record ExplainStageResult(IReadOnlyList<FeatureImportance> Importances, ImportanceFiles Files, long Rows);
