using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Parameters;
using MLOps.Pipelines.Internal.Targets;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Runs a target only when its fingerprint or outputs differ from the lock file, restores outputs it has seen
/// before from the content store, and commits outputs and the lock entry only when the target succeeded (a failed,
/// cancelled or killed target leaves the previous outputs and lock entry as they were). Targets that declare no
/// outputs have nothing to cache (deploy, notify) and always run. A target whose effect lives outside its outputs
/// (<c>Verifies</c>) is taken as up to date or restored only while that effect is verified present.
/// </summary>
internal sealed class IncrementalExecutor(
    TargetCache cache, TargetSpecFactory specs, Func<TargetNode, bool> isForced, TextWriter log,
    OutputLocks outputLocks, IReadOnlyList<ResolvedParameter> parameters) : ITargetExecutor
{
    /// <summary>Log the fingerprint decision of every target, not only of those that run (<c>--verbosity verbose</c>).</summary>
    public bool Verbose { get; init; }

    public async Task<(TargetOutcome Outcome, string? Reason)> ExecuteAsync(TargetNode node, CancellationToken cancellationToken)
    {
        if (ActionExecutor.FailedDynamicCondition(node) is { } condition)
            return (TargetOutcome.Skipped, SkipReason.For(condition, parameters));
        // Whatever this target reads of other targets' outputs stays in place while it decides and runs.
        using var reading = outputLocks.ShareOutputsOf(outputLocks.Producers(node),
            producer => log.WriteLine($"… {node.Name}: another build is rewriting {producer}'s outputs; waiting"), cancellationToken);
        if (node.Definition.OutputPaths.Count == 0)
            return await RunAsync(node, null, cancellationToken).ConfigureAwait(false);

        var spec = specs.Create(node);
        using var targetLock = cache.LockTarget(node.Name, () => log.WriteLine($"… {node.Name}: another build is running it; waiting"), cancellationToken);
        var decision = Evaluate(spec, node);
        if (Verbose) log.WriteLine($"… {node.Name}: {decision.Kind} (fingerprint {decision.Fingerprint[..Math.Min(16, decision.Fingerprint.Length)]})");
        switch (decision.Kind)
        {
            case CacheDecisionKind.UpToDate:
                if (Unverified(node) is not { } missing)
                    return (TargetOutcome.UpToDate, null);
                log.WriteLine($"… {node.Name}: up to date, but {missing}; running it");
                decision = cache.Evaluate(spec, force: true);
                break;
            case CacheDecisionKind.RestoreLocal or CacheDecisionKind.RestoreRemote:
                RestoreResult restore;
                using (outputLocks.Rewrite(node, () => WaitingForReaders(node), cancellationToken))
                    restore = cache.TryRestore(decision);
                if (restore.Restored)
                {
                    if (Unverified(node) is not { } notThere)
                        return (TargetOutcome.Restored, decision.Kind == CacheDecisionKind.RestoreLocal ? "from the local store" : "from the remote cache");
                    log.WriteLine($"… {node.Name}: restored, but {notThere}; running it");
                    decision = cache.Evaluate(spec, force: true);
                    break;
                }
                log.WriteLine($"… {node.Name}: could not restore ({restore.Failure}); running it");
                break;
        }
        if (decision.Reasons.Count > 0 && decision.Kind == CacheDecisionKind.Run)
            log.WriteLine($"… {node.Name}: {string.Join("; ", decision.Reasons)}");
        using (outputLocks.Rewrite(node, () => WaitingForReaders(node), cancellationToken))
            return await RunAsync(node, decision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What would happen to the target now, and why (for <c>--dry-run</c>).</summary>
    public CacheDecision Explain(TargetNode node) => Evaluate(specs.Create(node), node);

    /// <summary>The first <c>Verifies</c> check that does not hold, as "&lt;what&gt; does not hold"; a check that throws does not hold.</summary>
    internal static string? Unverified(TargetNode node)
    {
        foreach (var verification in node.Definition.Verifications)
        {
            try
            {
                if (!verification.Evaluate()) return $"{verification.Text} does not hold";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return $"{verification.Text} could not be checked ({e.Message.Split('\n')[0].Trim()})";
            }
        }
        return null;
    }

    void WaitingForReaders(TargetNode node) => log.WriteLine($"… {node.Name}: another build is reading its outputs; waiting");

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
