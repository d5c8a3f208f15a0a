using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>The end of a retraining cycle: what was registered and whether it replaced the champion, and why.</summary>
public sealed record RetrainOutcome(RetrainDecision Decision, RegisterStageResult? Registration)
{
    public string Summary => Registration switch
    {
        null => $"not retrained ({Decision.Summary})",
        { RegisteredNow: false } r => $"retrained, but the model is byte-identical to v{r.Version.Version}: nothing new registered; {r.Promotion.Reason}",
        { Promotion.Promoted: true } r => $"retrained v{r.Version.Version}, promoted to champion: {r.Promotion.Reason}",
        var r => $"retrained v{r.Version.Version}, kept as challenger: {r.Promotion.Reason}",
    };
}
