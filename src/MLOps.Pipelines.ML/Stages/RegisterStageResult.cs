using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Stages;

/// <param name="RegisteredNow">False when the model's digest already was the latest version (nothing new recorded).</param>
public sealed record RegisterStageResult(ModelVersion Version, bool RegisteredNow, PromotionDecision Promotion, IReadOnlyList<string> Aliases);
