using System.Globalization;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// Continuous training as code: retrain when the data-set drift alarm fires, when the performance alarm fires, on the
/// nightly schedule (unless a model was trained within <see cref="MinimumInterval"/>, e.g. by a drift retrain that
/// afternoon), or when the newest model is older than <see cref="MaximumModelAge"/>. Pure: the same signals give the
/// same decision. Whether the retrained model replaces the champion is the registry's promotion policy, not this.
/// </summary>
public sealed record RetrainPolicy
{
    public static RetrainPolicy Default { get; } = new();

    public bool OnDrift { get; init; } = true;
    public bool OnPerformanceAlarm { get; init; } = true;
    public bool OnSchedule { get; init; } = true;
    /// <summary>A scheduled run retrains only when the last training is at least this old.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromHours(20);
    /// <summary>Retrain whatever the signals once the newest model is this old; null: never for age alone.</summary>
    public TimeSpan? MaximumModelAge { get; init; }

    public RetrainDecision Decide(RetrainSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var fired = new List<string>();
        var quiet = new List<string>();

        if (signals.LastTrainedAt is null)
            fired.Add("no model is registered yet");

        if (signals.Drift is { } drift)
            (drift.Detected && OnDrift ? fired : quiet).Add(drift.ToString());

        if (signals.Performance is { } performance)
            (performance.Alarm && OnPerformanceAlarm ? fired : quiet).Add($"performance {(performance.Alarm ? "alarm" : "ok")}: {performance}");

        var age = signals.LastTrainedAt is { } last ? signals.Now - last : (TimeSpan?)null;
        if (signals.ScheduledRun && OnSchedule)
        {
            if (age is null || age >= MinimumInterval) fired.Add($"nightly schedule (last training {Age(age)})");
            else quiet.Add($"nightly schedule, but the last training is only {Age(age)} (minimum interval {Hours(MinimumInterval)})");
        }
        if (MaximumModelAge is { } maximum && age is { } modelAge && modelAge >= maximum)
            fired.Add($"the newest model is {Hours(modelAge)} old, over the maximum age {Hours(maximum)}");

        if (fired.Count > 0) return new RetrainDecision(true, fired);
        if (quiet.Count == 0) quiet.Add("no signal: no drift verdict, no labelled batch, not a scheduled run");
        return new RetrainDecision(false, quiet);
    }

    static string Age(TimeSpan? age) => age is { } a ? Hours(a) + " ago" : "never";

    static string Hours(TimeSpan span) => span.TotalHours >= 48
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h");
}
