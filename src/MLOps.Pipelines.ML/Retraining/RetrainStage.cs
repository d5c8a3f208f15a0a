using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// Continuous training's side of Register: with the policy's decision, registers the retrained model as the challenger
/// (the decision's reasons go into the challenger's alias history), lets the registry's promotion policy decide whether
/// it beats the champion, and records the whole cycle in the run's audit record. Retraining itself is the pipeline's
/// Train and Evaluate targets run incrementally (only what changed re-runs); this stage never trains.
/// </summary>
public static class RetrainStage
{
    public const string DecisionEvent = "retrain.decision";
    public const string OutcomeEvent = "retrain.outcome";

    /// <summary>Reports the decision to the audit trail and writes it where later targets read it.</summary>
    public static RetrainDecision Decide(RetrainPolicy policy, RetrainSignals signals, string decisionPath)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var decision = policy.Decide(signals);
        RetrainDecisionFile.Write(decisionPath, decision);
        AuditEvents.Record(DecisionEvent, new Dictionary<string, string>
        {
            ["retrain"] = decision.Retrain ? "true" : "false",
            ["why"] = string.Join("; ", decision.Reasons),
        });
        return decision;
    }

    /// <summary>Registers and gates the retrained model when the decision says retrain; otherwise registers nothing.</summary>
    public static RetrainOutcome Register(RetrainDecision decision, ModelRegistry registry, RegisterRequest request, string receiptPath)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(request);
        var registration = decision.Retrain
            ? RegisterStage.Run(registry, request with { Why = "retrained: " + string.Join("; ", decision.Reasons) }, receiptPath)
            : null;
        var outcome = new RetrainOutcome(decision, registration);
        var fields = new Dictionary<string, string>
        {
            ["model"] = registry.ModelName,
            ["retrained"] = decision.Retrain ? "true" : "false",
            ["why"] = string.Join("; ", decision.Reasons),
            ["outcome"] = outcome.Summary,
        };
        if (registration is not null)
        {
            fields["version"] = registration.Version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["promoted"] = registration.Promotion.Promoted ? "true" : "false";
        }
        AuditEvents.Record(OutcomeEvent, fields);
        return outcome;
    }

    /// <summary>When the newest registered version was trained (its registration time), or null when none is.</summary>
    public static DateTimeOffset? LastTrainedAt(ModelRegistry registry) =>
        registry?.Versions().MaxBy(v => v.Version)?.CreatedAt;
}
