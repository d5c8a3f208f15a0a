using System.Collections.Concurrent;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// Dynamic batching, as Triton and KServe do it: concurrent requests to one model are coalesced into one scoring call
/// (features, ONNX Runtime, metrics), and each request gets back its own rows. A fixed cost per ONNX Runtime run
/// (about 45 µs on the churn model, most of it per graph node, not per row) is then paid once per batch.
/// </summary>
/// <remarks>
/// No scoring thread of its own: a request that finds fewer than <c>maxConcurrent</c> batches in progress scores the
/// queue itself (its own rows first, then whatever else is waiting, up to <c>maxRows</c>), and keeps draining until
/// the queue is empty. An idle server therefore scores a lone request at once on its own thread (no hand-off, no
/// wait), and under load the requests that arrive while a batch runs form the next one. With a delay, the scorer waits
/// that long for company before it takes a batch that is not yet full. A batch that throws is re-scored one request at
/// a time, so one request's failure is that request's alone. Every queued request is scored by an active scorer, so
/// a server that drains in-flight requests at shutdown drains the queue too.
/// </remarks>
internal sealed class DynamicBatcher
{
    private readonly Func<RawBatch, Prediction> score;
    private readonly Action<int> observeBatch;
    private readonly int maxRows;
    private readonly int maxConcurrent;
    private readonly TimeSpan maxDelay;
    private readonly ConcurrentQueue<Pending> queue = new();
    private int active;
    private int queuedRows;

    /// <param name="score">Scores rows; may throw (the batch is then re-scored request by request).</param>
    /// <param name="observeBatch">Told the rows of every scoring call (a batch-size histogram).</param>
    /// <param name="maxRows">Most rows coalesced into one call; a single request larger than this is scored alone.</param>
    /// <param name="maxConcurrent">Batches scored at the same time (ONNX Runtime sessions are safe to run concurrently).</param>
    /// <param name="maxDelay">How long a scorer waits for more requests before scoring a batch that is not full (zero: never).</param>
    public DynamicBatcher(Func<RawBatch, Prediction> score, Action<int> observeBatch, int maxRows, int maxConcurrent, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        this.score = score;
        this.observeBatch = observeBatch;
        this.maxRows = maxRows;
        this.maxConcurrent = maxConcurrent;
        this.maxDelay = maxDelay;
    }

    /// <summary>Scores <paramref name="batch"/>, alone or together with other requests' rows; the prediction holds its rows only.</summary>
    public Task<Prediction> ScoreAsync(RawBatch batch)
    {
        if (maxRows == 1 && maxConcurrent == int.MaxValue)
        {
            // No batching and no limit (DynamicBatching.None): nothing to coalesce or wait for, so no queue either.
            try
            {
                var prediction = score(batch);
                observeBatch(batch.RowCount);
                return Task.FromResult(prediction);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Task.FromException<Prediction>(e);
            }
        }

        return QueueAsync(batch);
    }

    private async Task<Prediction> QueueAsync(RawBatch batch)
    {
        var pending = new Pending(batch);
        Interlocked.Add(ref queuedRows, batch.RowCount);
        queue.Enqueue(pending);
        if (TryEnter()) await DrainAsync();
        return await pending.Result.Task;
    }

    private bool TryEnter()
    {
        var seen = Volatile.Read(ref active);
        while (seen < maxConcurrent)
        {
            var previous = Interlocked.CompareExchange(ref active, seen + 1, seen);
            if (previous == seen) return true;
            seen = previous;
        }

        return false;
    }

    private async Task DrainAsync()
    {
        var taken = new List<Pending>();
        Pending? carried = null;
        while (true)
        {
            if (maxDelay > TimeSpan.Zero && Volatile.Read(ref queuedRows) + (carried?.Batch.RowCount ?? 0) < maxRows)
                await Task.Delay(maxDelay).ConfigureAwait(false);

            taken.Clear();
            var rows = 0;
            if (carried is not null)
            {
                taken.Add(carried);
                rows = carried.Batch.RowCount;
                carried = null;
            }

            while (rows < maxRows && queue.TryDequeue(out var next))
            {
                Interlocked.Add(ref queuedRows, -next.Batch.RowCount);
                if (taken.Count > 0 && rows + next.Batch.RowCount > maxRows)
                {
                    carried = next; // first in the next batch
                    break;
                }

                taken.Add(next);
                rows += next.Batch.RowCount;
            }

            if (taken.Count == 0)
            {
                // Leave, then look again: a request queued after the last look but before leaving found every
                // scorer busy and relies on one of them to take it.
                Interlocked.Decrement(ref active);
                if (queue.IsEmpty || !TryEnter()) return;
                continue;
            }

            Run(taken, rows);
        }
    }

    private void Run(List<Pending> batch, int rows)
    {
        if (batch.Count == 1)
        {
            Complete(batch[0]);
            return;
        }

        Prediction combined;
        try
        {
            combined = score(Concatenate(batch, rows));
            observeBatch(rows);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // One request's rows may be what failed: score each on its own, so the others still get their answer.
            foreach (var pending in batch) Complete(pending);
            return;
        }

        var offset = 0;
        foreach (var pending in batch)
        {
            var count = pending.Batch.RowCount;
            var probabilities = combined.Probabilities.AsSpan(offset * combined.Width, count * combined.Width).ToArray();
            pending.Result.TrySetResult(combined with { Probabilities = probabilities, Rows = count });
            offset += count;
        }
    }

    private void Complete(Pending pending)
    {
        try
        {
            var prediction = score(pending.Batch);
            observeBatch(pending.Batch.RowCount);
            pending.Result.TrySetResult(prediction);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            pending.Result.TrySetException(e);
        }
    }

    /// <summary>The requests' rows one after another, column by column (a column a request lacks is missing there).</summary>
    internal static RawBatch Concatenate(IReadOnlyList<Pending> batch, int rows)
    {
        var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var pending in batch)
        {
            foreach (var (name, values) in pending.Batch.Columns)
            {
                if (!columns.TryGetValue(name, out var target))
                    columns[name] = target = Array.CreateInstance(values.GetType().GetElementType()!, rows);
                Array.Copy(values, 0, target, offset, pending.Batch.RowCount);
            }

            offset += pending.Batch.RowCount;
        }

        return new RawBatch(columns, rows);
    }

    internal sealed class Pending(RawBatch batch)
    {
        public RawBatch Batch { get; } = batch;

        // Continuations run elsewhere: the scorer must not run other requests' response writing inline.
        public TaskCompletionSource<Prediction> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
