namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// What a retraining decision is made from. Every signal is optional: a run without a labelled batch has no
/// performance signal, a run outside the nightly schedule has <paramref name="ScheduledRun"/> false.
/// </summary>
/// <param name="Drift">Monitor's data-set drift verdict on the newest batch.</param>
/// <param name="Performance">The model's metric on a labelled batch against its registered value.</param>
/// <param name="ScheduledRun">True when the nightly schedule started this run (see <see cref="ScheduleTrigger"/>).</param>
/// <param name="LastTrainedAt">When the newest registered version was trained; null when none is registered.</param>
/// <param name="Now">The decision's time.</param>
public sealed record RetrainSignals(
    DriftVerdict? Drift,
    PerformanceSignal? Performance,
    bool ScheduledRun,
    DateTimeOffset? LastTrainedAt,
    DateTimeOffset Now);
