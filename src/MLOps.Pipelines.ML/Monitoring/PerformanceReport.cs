namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// The model's metrics on a labelled batch against its registered metrics. <see cref="Drop"/> is how much worse the
/// batch is on <see cref="Metric"/> (positive = worse); <see cref="Alarm"/> when it exceeds <see cref="Tolerance"/>.
/// </summary>
public sealed record PerformanceReport(
    string Metric,
    double Registered,
    double Current,
    double Drop,
    double Tolerance,
    long Rows,
    IReadOnlyDictionary<string, double> CurrentMetrics,
    IReadOnlyDictionary<string, double> RegisteredMetrics)
{
    public bool Alarm => Drop > Tolerance;
}
