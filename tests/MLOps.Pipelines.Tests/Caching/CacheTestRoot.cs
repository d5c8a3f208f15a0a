using System.Collections.Concurrent;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>A real repository root in a temporary folder, with helpers to write files and describe targets.</summary>
internal sealed class CacheTestRoot : IDisposable
{
    readonly TemporaryDirectory _folder = new("mlops-cache-");

    public string Root => _folder.Path;
    public ConcurrentQueue<string> Warnings { get; } = new();

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Write(string relative, string content)
    {
        var full = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Sets a file's mtime a minute back so the state's "racy" window (recently modified files are rehashed) does not apply.</summary>
    public void Age(string relative)
    {
        var full = PathOf(relative);
        File.SetLastWriteTimeUtc(full, DateTime.UtcNow.AddMinutes(-1));
    }

    public TargetCache Cache(CacheOptions? options = null) =>
        new(Root, (options ?? new CacheOptions()) with { Warn = Warnings.Enqueue });

    public static TargetSpec Spec(string name, string[] inputs, string[] outputs,
        Dictionary<string, string>? parameters = null, string code = "code-1", string? version = null,
        Dictionary<string, string>? tools = null) =>
        new(name, inputs, parameters ?? new Dictionary<string, string>(), code, version,
            tools ?? new Dictionary<string, string> { ["dotnet"] = "10.0" }, outputs);

    /// <summary>Runs a target the way the runner will: lock, evaluate, then restore or run+commit.</summary>
    public static CacheDecision Execute(TargetCache cache, TargetSpec spec, Action run, IReadOnlyDictionary<string, double>? metrics = null)
    {
        using var held = cache.LockTarget(spec.Name);
        var decision = cache.Evaluate(spec);
        if (decision.Kind is CacheDecisionKind.RestoreLocal or CacheDecisionKind.RestoreRemote && cache.TryRestore(decision).Restored)
            return decision;
        if (decision.Kind == CacheDecisionKind.UpToDate)
            return decision;
        using var transaction = cache.BeginRun(decision);
        run();
        transaction.Commit(metrics);
        return decision;
    }

    public void Dispose() => _folder.Dispose();
}
