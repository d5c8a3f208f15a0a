using System.Diagnostics;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Runs a plan: up to <c>jobs</c> targets at once, each only after every planned predecessor finished; a failure stops
/// the build (unless the failed target has ProceedAfterFailure), and AssuredAfterFailure targets run regardless.
/// </summary>
internal sealed class TargetScheduler(ITargetExecutor executor, IBuildReporter reporter, int jobs)
{
    /// <summary>How long running targets get to notice a cancellation before they are reported as cancelled.</summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<TargetResult>> RunAsync(
        IReadOnlyList<TargetNode> plan, IReadOnlyDictionary<TargetNode, string> skips, CancellationToken cancellationToken)
    {
        var planned = plan.ToHashSet();
        var results = new Dictionary<TargetNode, TargetResult>();
        var running = new Dictionary<Task<TargetResult>, TargetNode>();
        var remaining = plan.ToList();
        var stopping = false;

        void Finish(TargetNode node, TargetResult result)
        {
            results[node] = result;
            if (result.Outcome == TargetOutcome.Failed && !node.Definition.IsProceedAfterFailure) stopping = true;
            reporter.TargetFinished(result);
        }

        while (remaining.Count > 0 || running.Count > 0)
        {
            for (var progress = true; progress;)
            {
                progress = false;
                foreach (var node in remaining.ToList())
                {
                    if (running.Count >= jobs) break;
                    if (TargetGraph.Predecessors(node, planned).Any(p => !results.ContainsKey(p))) continue;
                    remaining.Remove(node);
                    progress = true;
                    if (Decide(node) is { } decided) Finish(node, decided);
                    else
                    {
                        reporter.TargetStarted(node);
                        running[RunOneAsync(node, cancellationToken)] = node;
                    }
                }
            }
            if (running.Count == 0) break;

            var done = await WaitForAnyAsync(running.Keys, cancellationToken).ConfigureAwait(false);
            if (done is null)
            {
                // Cancelled: give running targets a moment to stop, then report whatever is left as cancelled.
                await Task.WhenAny(Task.WhenAll(running.Keys), Task.Delay(CancellationGrace, CancellationToken.None)).ConfigureAwait(false);
                foreach (var (task, node) in running)
                    Finish(node, task.IsCompleted ? task.Result : new TargetResult(node.Name, TargetOutcome.Failed, TimeSpan.Zero, "cancelled"));
                running.Clear();
                continue;
            }
            var finished = running[done];
            running.Remove(done);
            Finish(finished, await done.ConfigureAwait(false));
        }

        // Whatever could never start (cancelled before its turn) is NotRun.
        foreach (var node in remaining) Finish(node, new TargetResult(node.Name, TargetOutcome.NotRun, TimeSpan.Zero, "cancelled"));
        return plan.Select(n => results[n]).ToList();

        TargetResult? Decide(TargetNode node)
        {
            if (skips.TryGetValue(node, out var reason))
                return new TargetResult(node.Name, TargetOutcome.Skipped, TimeSpan.Zero, reason);
            if (cancellationToken.IsCancellationRequested)
                return new TargetResult(node.Name, TargetOutcome.NotRun, TimeSpan.Zero, "cancelled");
            if (node.Definition.IsAssuredAfterFailure) return null;
            var failed = TargetGraph.Upstream(node, planned).FirstOrDefault(u => !results[u].Outcome.LetsDependantsRun());
            if (failed is not null)
                return new TargetResult(node.Name, TargetOutcome.NotRun, TimeSpan.Zero, $"{failed.Name} did not succeed");
            if (stopping)
                return new TargetResult(node.Name, TargetOutcome.NotRun, TimeSpan.Zero, "an earlier target failed");
            return null;
        }
    }

    async Task<TargetResult> RunOneAsync(TargetNode node, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        try
        {
            var (outcome, reason) = await executor.ExecuteAsync(node, cancellationToken).ConfigureAwait(false);
            return new TargetResult(node.Name, outcome, clock.Elapsed, reason);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            return new TargetResult(node.Name, TargetOutcome.Failed, clock.Elapsed, "cancelled", e);
        }
        catch (Exception e)
        {
            return new TargetResult(node.Name, TargetOutcome.Failed, clock.Elapsed, FirstLine(e), e);
        }
    }

    static async Task<Task<TargetResult>?> WaitForAnyAsync(IEnumerable<Task<TargetResult>> tasks, CancellationToken cancellationToken)
    {
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var done = await Task.WhenAny(tasks.Cast<Task>().Append(cancelled)).ConfigureAwait(false);
        return done == cancelled ? null : (Task<TargetResult>)done;
    }

    /// <summary>The exception's type and first message line, for the summary table.</summary>
    public static string FirstLine(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        var message = inner.Message.Split('\n', 2)[0].Trim();
        return $"{inner.GetType().Name}: {message}";
    }
}
