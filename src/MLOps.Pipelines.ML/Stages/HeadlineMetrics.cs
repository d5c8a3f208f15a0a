using System.Text.Json;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// The few metrics a reviewer reads in <c>pipelines.lock</c> and the registry (the task's
/// <see cref="ModelTask.HeadlineMetrics"/>). Earlier values come from the engine's <see cref="TargetRecords"/> (the
/// working tree's lock for the previous run, HEAD's for the committed one); this library never parses the lock.
/// </summary>
public static class HeadlineMetrics
{
    /// <summary>The headline metrics of a metrics.json that Evaluate wrote.</summary>
    public static SortedDictionary<string, double> Read(string metricsJsonPath) => MetricsReport.Read(metricsJsonPath).Headline();

    /// <summary>Higher is better for every headline metric but the losses.</summary>
    public static bool HigherIsBetter(string metric) => ModelTask.HigherIsBetter(metric);

    /// <summary>Every headline metric, old against new (old values null without a baseline).</summary>
    public static IReadOnlyList<MetricChange> Diff(IReadOnlyDictionary<string, double>? baseline, IReadOnlyDictionary<string, double> current) =>
        MetricsDiff.Compare(baseline is null ? null : JsonSerializer.Serialize(baseline), JsonSerializer.Serialize(current), includeUnchanged: true);
}
