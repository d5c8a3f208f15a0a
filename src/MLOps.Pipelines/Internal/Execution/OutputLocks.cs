using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Readers–writer locks on targets' outputs across processes, so one build never rewrites outputs another build is
/// reading (a forced Train moving <c>model.zip</c> away under another build's Evaluate). A target holds a shared lock
/// on every target whose outputs it reads while it decides and runs; a target rewriting its own outputs (running or
/// restoring) holds its lock exclusively. flock on <c>.nuke/temp/locks/&lt;target&gt;.outputs.lock</c>: .NET takes
/// LOCK_SH for a read-only handle that shares reading and LOCK_EX for FileShare.None, and the kernel drops both when
/// the holder dies. Shared locks are always taken before the exclusive one, so waits point from a target to its
/// producers (which hold no waits) or to readers downstream (finite): no cycle.
/// </summary>
internal sealed class OutputLocks(string root, IReadOnlyList<TargetNode> targets)
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The targets whose declared outputs hold (or lie inside) one of the node's declared inputs.</summary>
    public IReadOnlyList<TargetNode> Producers(TargetNode node)
    {
        var inputs = node.Definition.InputPaths.Select(p => (string)p).ToList();
        return targets.Where(t => t != node && t.Definition.OutputPaths.Any(o => inputs.Any(i => Overlaps(i, o))))
            .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Shared locks on the producers' outputs, taken in name order.</summary>
    public IDisposable ShareOutputsOf(IEnumerable<TargetNode> producers, Action<string> onWait, CancellationToken cancellation)
    {
        var held = new Stack<IDisposable>();
        try
        {
            foreach (var producer in producers)
                held.Push(Acquire(producer.Name, exclusive: false, () => onWait(producer.Name), cancellation));
            return new Held(held);
        }
        catch
        {
            new Held(held).Dispose();
            throw;
        }
    }

    /// <summary>The target's own outputs, exclusively: no other build reads them while they are rewritten.</summary>
    public IDisposable Rewrite(TargetNode node, Action onWait, CancellationToken cancellation) =>
        new Held(new Stack<IDisposable>([Acquire(node.Name, exclusive: true, onWait, cancellation)]));

    FileStream Acquire(string target, bool exclusive, Action onWait, CancellationToken cancellation)
    {
        var path = Path.Combine(root, ".nuke", "temp", "locks", TargetCache.SafeName(target) + ".outputs.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = false;
        while (true)
        {
            try
            {
                return exclusive
                    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None)
                    : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                if (!waited)
                {
                    waited = true;
                    onWait();
                }
                cancellation.WaitHandle.WaitOne(PollInterval);
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    static bool Overlaps(string input, string output) =>
        input == output || Inside(input, output) || Inside(output, input);

    static bool Inside(string path, string folder) =>
        path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    sealed class Held(Stack<IDisposable> locks) : IDisposable
    {
        public void Dispose()
        {
            while (locks.TryPop(out var held)) held.Dispose();
        }
    }
}
