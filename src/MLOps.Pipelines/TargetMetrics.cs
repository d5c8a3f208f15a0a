namespace MLOps.Pipelines;

/// <summary>
/// Headline metrics a target reports while it runs (<c>TargetMetrics.Record("auc", 0.85)</c>); they are written to
/// the target's entry in <c>pipelines.lock</c>, so a review sees the model's quality change beside its hashes.
/// </summary>
public static class TargetMetrics
{
    static readonly AsyncLocal<Dictionary<string, double>?> s_current = new();

    public static void Record(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var metrics = s_current.Value ?? throw new InvalidOperationException("TargetMetrics.Record is only valid inside a target's Executes.");
        lock (metrics) metrics[name] = value;
    }

    /// <summary>Starts collecting for the target running in this async context.</summary>
    internal static Dictionary<string, double> BeginCollecting() => s_current.Value = new Dictionary<string, double>(StringComparer.Ordinal);
}
