using System.Text.Json;
using MLOps.Pipelines.Caching;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// The few metrics a reviewer reads in <c>pipelines.lock</c> and the registry (the task's
/// <see cref="ModelTask.HeadlineMetrics"/>), and where earlier values of them are found: the lock file of the working
/// tree (the previous run) and the one committed at HEAD.
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

    /// <summary>
    /// The metrics <paramref name="target"/> recorded in a lock, provided the entry was made with the given parameter
    /// values (a lock entry of the other pipeline is no baseline); null otherwise.
    /// </summary>
    public static IReadOnlyDictionary<string, double>? FromLock(
        IReadOnlyDictionary<string, LockEntry> entries, string target, IReadOnlyDictionary<string, string> requiredParameters)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(requiredParameters);
        if (!entries.TryGetValue(target, out var entry) || entry.Metrics.Count == 0) return null;
        foreach (var (name, value) in requiredParameters)
        {
            if (!entry.Parameters.TryGetValue(name, out var recorded) || recorded != value) return null;
        }

        return entry.Metrics;
    }

    /// <summary>The lock entries of the working tree's <c>pipelines.lock</c> under <paramref name="root"/> (empty when there is none).</summary>
    public static IReadOnlyDictionary<string, LockEntry> WorkingLock(string root) => new LockFile(root).Read();

    /// <summary>The lock entries of <c>pipelines.lock</c> as committed at HEAD (empty outside git or when it is not committed).</summary>
    public static IReadOnlyDictionary<string, LockEntry> CommittedLock(string root)
    {
        var text = CommittedFile.Read(root, LockFile.FileName);
        return text is null ? new Dictionary<string, LockEntry>() : LockFile.Parse(text, $"HEAD:{LockFile.FileName}");
    }
}
