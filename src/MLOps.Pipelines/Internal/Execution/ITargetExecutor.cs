using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Targets;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>Runs one target that the scheduler decided to start (the incremental layer wraps the plain one).</summary>
internal interface ITargetExecutor
{
    /// <returns>The outcome and, for skips and cache hits, a reason.</returns>
    Task<(TargetOutcome Outcome, string? Reason)> ExecuteAsync(TargetNode node, CancellationToken cancellationToken);
}

/// <summary>Evaluates dynamic conditions, then runs the target's actions in order.</summary>
internal sealed class ActionExecutor : ITargetExecutor
{
    public async Task<(TargetOutcome Outcome, string? Reason)> ExecuteAsync(TargetNode node, CancellationToken cancellationToken)
    {
        if (FailedDynamicCondition(node) is { } condition)
            return (TargetOutcome.Skipped, SkipReason.For(condition, []));
        foreach (var action in node.Definition.Actions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Targets.TargetDefinition.InvokeAsync(action, cancellationToken).ConfigureAwait(false);
        }
        return (TargetOutcome.Succeeded, null);
    }

    public static string? FailedDynamicCondition(TargetNode node) =>
        node.Definition.DynamicConditions.FirstOrDefault(c => !c.Evaluate())?.Text;
}
