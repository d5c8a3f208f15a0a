using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Tasks;
using System.Globalization;

namespace MLOps.Pipelines.ML.Stages;

/// <param name="RegisteredNow">False when the model's digest already was the latest version (nothing new recorded).</param>
public sealed record RegisterStageResult(ModelVersion Version, bool RegisteredNow, PromotionDecision Promotion, IReadOnlyList<string> Aliases)
{
    /// <summary>The change in one line for people (<see cref="RegistryChange"/>), e.g. "churn v7 registered: AUC 0.8531 (+0.0007), champion unchanged".</summary>
    public string Change { get; init; } = "";
}
