using MLOps.Pipelines.Caching;
using MLOps.Pipelines.Graph;

namespace MLOps.Pipelines.Execution;

/// <summary>
/// Runs a target only when its fingerprint or outputs differ from the lock file, restores outputs it has seen
/// before from the content store, and commits outputs and the lock entry only when the target succeeded (a failed,
/// cancelled or killed target leaves the previous outputs and lock entry as they were). Targets that declare no
/// outputs have nothing to cache (deploy, notify) and always run.
/// </summary>
internal sealed class IncrementalExecutor(
    TargetCache cache, TargetSpecFactory specs, Func<TargetNode, bool> isForced, TextWriter log) : ITargetExecutor
{
    public async Task<(TargetOutcome Outcome, string? Reason)> ExecuteAsync(TargetNode node, CancellationToken cancellationToken)
    {
        if (ActionExecutor.FailedDynamicCondition(node) is { } condition)
            return (TargetOutcome.Skipped, $"condition false: {condition}");
        if (node.Definition.OutputPaths.Count == 0)
            return await RunAsync(node, null, cancellationToken).ConfigureAwait(false);

        var spec = specs.Create(node);
        using var targetLock = cache.LockTarget(node.Name, () => log.WriteLine($"… {node.Name}: another build is running it; waiting"), cancellationToken);
        var decision = Evaluate(spec, node);
        switch (decision.Kind)
        {
            case CacheDecisionKind.UpToDate:
                return (TargetOutcome.UpToDate, null);
            case CacheDecisionKind.RestoreLocal or CacheDecisionKind.RestoreRemote:
                var restore = cache.TryRestore(decision);
                if (restore.Restored)
                    return (TargetOutcome.Restored, decision.Kind == CacheDecisionKind.RestoreLocal ? "from the local store" : "from the remote cache");
                log.WriteLine($"… {node.Name}: could not restore ({restore.Failure}); running it");
                break;
        }
        if (decision.Reasons.Count > 0 && decision.Kind == CacheDecisionKind.Run)
            log.WriteLine($"… {node.Name}: {string.Join("; ", decision.Reasons)}");
        return await RunAsync(node, decision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What would happen to the target now, and why (for <c>--dry-run</c>).</summary>
    public CacheDecision Explain(TargetNode node) => Evaluate(specs.Create(node), node);

    /// <remarks>A declared input that does not exist throws <see cref="MissingPathException"/>, which names it and the fix.</remarks>
    CacheDecision Evaluate(TargetSpec spec, TargetNode node) => cache.Evaluate(spec, isForced(node));

    async Task<(TargetOutcome Outcome, string? Reason)> RunAsync(TargetNode node, CacheDecision? decision, CancellationToken cancellationToken)
    {
        var metrics = TargetMetrics.BeginCollecting();
        using var run = decision is null ? null : cache.BeginRun(decision);
        foreach (var action in node.Definition.Actions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Targets.TargetDefinition.InvokeAsync(action, cancellationToken).ConfigureAwait(false);
        }
        // Disposing without Commit rolls back: previous outputs return, the lock entry stays.
        run?.Commit(metrics.Count == 0 ? null : metrics);
        return (TargetOutcome.Succeeded, null);
    }
}
