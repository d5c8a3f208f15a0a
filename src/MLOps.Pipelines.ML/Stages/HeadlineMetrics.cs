using System.Text.Json;
using MLOps.Pipelines.Caching;
using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// The few metrics a reviewer reads in <c>pipelines.lock</c> and the registry (AUC, PR-AUC, log-loss, accuracy, Brier),
/// and where earlier values of them are found: the lock file of the working tree (the previous run) and the one
/// committed at HEAD.
/// </summary>
public static class HeadlineMetrics
{
    public static IReadOnlyList<string> Names { get; } = ["auc", "pr_auc", "log_loss", "accuracy", "brier"];

    public static SortedDictionary<string, double> From(BinaryMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(StringComparer.Ordinal)
        {
            ["auc"] = Math.Round(m.Auc, 6),
            ["pr_auc"] = Math.Round(m.PrAuc, 6),
            ["log_loss"] = Math.Round(m.LogLoss, 6),
            ["accuracy"] = Math.Round(m.Accuracy, 6),
            ["brier"] = Math.Round(m.Brier, 6),
        };
    }

    /// <summary>The headline metrics of a metrics.json that Evaluate wrote.</summary>
    public static SortedDictionary<string, double> Read(string metricsJsonPath)
    {
        if (!File.Exists(metricsJsonPath)) throw new FileNotFoundException($"{metricsJsonPath} does not exist: run Evaluate first.", metricsJsonPath);
        using var document = JsonDocument.Parse(File.ReadAllText(metricsJsonPath));
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
                metrics[name] = value.GetDouble();
        }

        return metrics;
    }

    /// <summary>Higher is better for every headline metric but the losses.</summary>
    public static bool HigherIsBetter(string metric) => metric is not ("log_loss" or "brier");

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
