using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Decides, before anything runs, which planned targets are skipped and why: <c>--skip</c>, a false
/// <c>OnlyWhenStatic</c> condition, or being needed only by targets that are skipped (as Nuke does).
/// </summary>
internal static class SkipPlanner
{
    /// <param name="plan">Planned targets in execution order.</param>
    /// <param name="invoked">The targets named on the command line (or the default).</param>
    /// <param name="skip">Null without <c>--skip</c>; empty to skip all but the invoked; else the named targets.</param>
    /// <param name="failedStaticCondition">The reason of the first false static condition of a target, if any.</param>
    public static IReadOnlyDictionary<TargetNode, string> Plan(
        IReadOnlyList<TargetNode> plan,
        IReadOnlySet<TargetNode> invoked,
        IReadOnlySet<TargetNode>? skip,
        Func<TargetNode, string?> failedStaticCondition)
    {
        var reasons = new Dictionary<TargetNode, string>();
        foreach (var node in plan)
        {
            if (skip is not null && (skip.Count == 0 ? !invoked.Contains(node) : skip.Contains(node)))
                reasons[node] = "--skip";
            else if (failedStaticCondition(node) is { } condition)
                reasons[node] = condition;
        }

        // A dependency that only skipped targets need is skipped too; walk dependants before their dependencies.
        var planned = plan.ToHashSet();
        var skippedByCondition = reasons.Where(r => r.Value != "--skip").Select(r => r.Key).ToHashSet();
        for (var i = plan.Count - 1; i >= 0; i--)
        {
            var node = plan[i];
            if (reasons.ContainsKey(node) || invoked.Contains(node)) continue;
            var bringers = plan.Where(p => p.Dependencies.Contains(node)).Concat(node.TriggeredFrom.Where(planned.Contains)).Distinct().ToList();
            if (bringers.Count > 0 && bringers.All(skippedByCondition.Contains))
            {
                reasons[node] = $"only needed by skipped {string.Join(", ", bringers.Select(b => b.Name))}";
                skippedByCondition.Add(node);
            }
        }
        return reasons;
    }
}
