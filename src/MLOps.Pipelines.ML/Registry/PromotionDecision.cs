namespace MLOps.Pipelines.ML.Registry;

/// <summary>The outcome of <see cref="ModelRegistry.Promote"/>; <paramref name="Move"/> is the recorded move when promoted.</summary>
public sealed record PromotionDecision(bool Promoted, string Reason, AliasMove? Move);
