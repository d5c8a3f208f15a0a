using System.Globalization;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// What monitoring a batch found: drift (always), data quality (raw batches), performance (labelled batches with a
/// model and registered metrics). <see cref="Alarms"/> lists every alarm that fired; a build turns them into exit 1 with
/// <see cref="FailsBuild"/>.
/// </summary>
public sealed record MonitorResult(string Batch, DriftReport Drift, BatchQuality? Quality, PerformanceReport? Performance)
{
    public IReadOnlyList<string> Alarms
    {
        get
        {
            var alarms = new List<string>();
            if (Drift.Detected) alarms.Add(Drift.Verdict);
            if (Quality is { Alarm: true } q)
                alarms.Add(string.Create(CultureInfo.InvariantCulture, $"data quality: {q.Report.RowsRejected} of {q.Report.RowsRead} rows ({q.Report.RejectedFraction:P2}) break the contract, more than {q.MaxRejectedFraction:P2}"));
            if (Performance is { Alarm: true } p)
                alarms.Add(string.Create(CultureInfo.InvariantCulture, $"performance: {p.Metric} {p.Current:0.0000} vs registered {p.Registered:0.0000}, a drop of {p.Drop:0.0000} beyond the tolerance {p.Tolerance:0.####}"));
            return alarms;
        }
    }

    /// <summary>The summary lines a build prints: the verdict line first, then seasonal drift, quality and performance.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string> { Drift.Verdict };
        if (Drift.SeasonalDrifted.Count > 0)
            lines.Add($"seasonal (reported, not counted): {string.Join(", ", Drift.Features.Where(f => !f.Counted && f.Drifted).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Feature} {f.Method} {f.Score:0.###}")))}");
        if (Quality is { } q)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"data quality: {q.Report.RowsRejected} of {q.Report.RowsRead} rows rejected ({q.Report.RejectedFraction:P2}){(q.NewCategories.Count > 0 ? "; new categories: " + string.Join("; ", q.NewCategories.Select(kv => $"{kv.Key} {string.Join(",", kv.Value)}")) : "")}"));
        if (Performance is { } p)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"performance: {p.Metric} {p.Current:0.0000} vs registered {p.Registered:0.0000} (drop {p.Drop:0.0000}, tolerance {p.Tolerance:0.####}){(p.Alarm ? ": ALARM" : "")}"));
        return lines;
    }

    /// <summary>With <c>--fail-on-drift</c>, any alarm fails the build (exit 1); without it monitoring only reports.</summary>
    public bool FailsBuild(bool failOnDrift) => failOnDrift && Alarms.Count > 0;
}
