using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary><c>--dry-run</c>: per planned target, whether it would run, restore, stay up to date or be skipped, and why.</summary>
internal static class DryRun
{
    public static void Print(IReadOnlyList<TargetNode> plan, IReadOnlyDictionary<TargetNode, string> skips, IncrementalExecutor executor, TextWriter output)
    {
        var planned = plan.ToHashSet();
        var changing = new HashSet<TargetNode>();
        foreach (var node in plan)
        {
            if (skips.TryGetValue(node, out var reason))
            {
                output.WriteLine($"○ {node.Name}: would be skipped ({reason})");
                continue;
            }
            var upstream = TargetGraph.Upstream(node, planned).Where(changing.Contains).Select(u => u.Name).ToList();
            if (node.Definition.OutputPaths.Count == 0)
            {
                output.WriteLine($"▶ {node.Name}: would run (it declares no outputs, so it always runs)");
                changing.Add(node);
                continue;
            }
            CacheDecision? decision;
            try
            {
                decision = executor.Explain(node);
            }
            catch (MissingPathException e)
            {
                if (upstream.Count == 0)
                {
                    output.WriteLine($"▶ {node.Name}: would fail: {e.Message}");
                    changing.Add(node);
                    continue;
                }
                decision = null; // an input an upstream target will write
            }
            // Null only when an upstream target will write the missing input.
            if (decision is null || (upstream.Count > 0 && (decision.Kind == CacheDecisionKind.UpToDate || decision.Reasons.Count == 0)))
            {
                var them = upstream.Count == 1 ? $"{upstream[0]} reproduces its" : $"{string.Join(", ", upstream)} reproduce their";
                output.WriteLine($"▶ {node.Name}: would run unless {them} outputs byte for byte");
                changing.Add(node);
                continue;
            }
            if (decision.Kind == CacheDecisionKind.UpToDate && IncrementalExecutor.Unverified(node) is { } missing)
            {
                output.WriteLine($"▶ {node.Name}: would run: up to date, but {missing}");
                changing.Add(node);
                continue;
            }
            var why = decision.Reasons.Count == 0 ? "" : ": " + string.Join("; ", decision.Reasons);
            output.WriteLine(decision.Kind switch
            {
                CacheDecisionKind.UpToDate => $"✔ {node.Name}: up to date",
                CacheDecisionKind.RestoreLocal => $"⇣ {node.Name}: would restore from the local store{why}",
                CacheDecisionKind.RestoreRemote => $"⇣ {node.Name}: would restore from the remote cache{why}",
                _ => $"▶ {node.Name}: would run{why}",
            });
            if (decision.Kind != CacheDecisionKind.UpToDate) changing.Add(node);
        }
    }
}
