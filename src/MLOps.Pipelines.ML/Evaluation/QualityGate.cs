using System.Globalization;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Pure pass/fail decision on one metric of a model; the caller turns a failure into exit code 1.</summary>
public static class QualityGate
{
    /// <param name="metrics">The model's test metrics by name; a failure message lists them all.</param>
    public static GateResult Check(IReadOnlyDictionary<string, double> metrics, QualityGatePolicy policy, ChampionModel? champion)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(policy);
        if (!double.IsFinite(policy.ChampionTolerance) || policy.ChampionTolerance < 0)
            throw new ArgumentOutOfRangeException(nameof(policy), policy.ChampionTolerance, $"{policy.ToleranceParameter} {policy.ChampionTolerance} must be a finite number ≥ 0, e.g. 0.01.");
        if (!double.IsFinite(policy.Threshold))
            throw new ArgumentOutOfRangeException(nameof(policy), policy.Threshold, $"{policy.ThresholdParameter} {policy.Threshold} must be a finite number.");

        var value = metrics.TryGetValue(policy.Metric, out var v) ? v : double.NaN;
        var name = ModelTask.Display(policy.Metric);
        var up = policy.HigherIsBetter;
        var failures = new List<string>();
        if (!(up ? value >= policy.Threshold : value <= policy.Threshold))
            failures.Add($"{name} {F(value)} is {(up ? "under" : "over")} the threshold {F(policy.Threshold)} ({policy.ThresholdParameter})");

        if (champion is not null)
        {
            var worse = up ? champion.Value - value : value - champion.Value;
            if (!(worse <= policy.ChampionTolerance))
                failures.Add($"{name} {F(value)} is {F(worse)} worse than champion {champion.Version} " +
                             $"({F(champion.Value)}), tolerance {F(policy.ChampionTolerance)} ({policy.ToleranceParameter})");
        }

        if (failures.Count > 0)
        {
            // The other metrics say how far off the model is (a broken model fails everything, a close one only this).
            var all = string.Join(", ", metrics.Select(m => $"{m.Key} {F(m.Value)}"));
            return new GateResult(false, $"Quality gate failed: {string.Join("; ", failures)}. Test metrics: {all}.", policy.Metric, value, policy.Threshold);
        }

        var versus = champion is null
            ? "no champion registered"
            : $"champion {champion.Version} ({F(champion.Value)}) within tolerance {F(policy.ChampionTolerance)}";
        return new GateResult(true, $"Quality gate passed: {name} {F(value)} {(up ? "≥" : "≤")} threshold {F(policy.Threshold)}; {versus}.",
            policy.Metric, value, policy.Threshold);
    }

    private static string F(double value) => double.IsNaN(value) ? "NaN" : ModelTask.Format(value);
}
