namespace MLOps.Pipelines.Serving;

/// <summary>
/// How a server coalesces concurrent requests to one model into one scoring call (Triton's and KServe's dynamic
/// batching). Off by default, as in Triton: with the graph scored in managed code a one-row call costs a few
/// microseconds, and queueing requests to coalesce them cost more than it saved (docs/benchmarks.md); it pays where a
/// call has a large fixed cost (the trees in ONNX Runtime). When on, a request never waits unless a delay is set: a
/// lone request is scored at once, and requests that arrive while a batch is being scored form the next batch.
/// </summary>
/// <param name="MaxRows">Most rows in one scoring call (1: every request alone); a single larger request is scored alone.</param>
/// <param name="MaxDelay">How long a scorer waits for more requests before scoring a batch that is not full (zero: never).</param>
/// <param name="ConcurrentBatches">Batches of one model scored at the same time; 0 picks half the processors (at least 1).</param>
public sealed record DynamicBatching(int MaxRows = 1, TimeSpan MaxDelay = default, int ConcurrentBatches = 0)
{
    /// <summary>No batching: every request is scored alone, at once.</summary>
    public static DynamicBatching None { get; } = new(MaxRows: 1, ConcurrentBatches: int.MaxValue);

    /// <summary>
    /// <see cref="ConcurrentBatches"/> with 0 resolved to half the processors, at least 1 — or, without batching
    /// (<see cref="MaxRows"/> 1), no limit: one-row "batches" one at a time would only serialise the requests.
    /// </summary>
    public int ResolvedConcurrentBatches => ConcurrentBatches > 0 ? ConcurrentBatches : MaxRows == 1 ? int.MaxValue : Math.Max(1, Environment.ProcessorCount / 2);
}
