namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// The policy's answer: retrain or not, with every reason that counted (those that fired when retraining, those
/// checked when not), so the audit trail and the registry say why.
/// </summary>
public sealed record RetrainDecision(bool Retrain, IReadOnlyList<string> Reasons)
{
    /// <summary>One line: "retrain: drift: detected (3 of 5 features)" or "no retrain: drift: none (0 of 5 features); …".</summary>
    public string Summary => (Retrain ? "retrain: " : "no retrain: ") + string.Join("; ", Reasons);

    public override string ToString() => Summary;
}
