namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>Rows whose timestamp column lies in [From, Until): e.g. the training months of the ingested data as the reference.</summary>
public sealed record TimeWindow(string Column, DateTime? From = null, DateTime? Until = null)
{
    internal bool Contains(DateTime? value) =>
        value is { } t && (From is not { } from || t >= from) && (Until is not { } until || t < until);
}
