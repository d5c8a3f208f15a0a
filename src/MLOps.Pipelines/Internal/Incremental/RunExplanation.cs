using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>A declared output as found on disk now: its entry, or null when it is missing.</summary>
internal sealed record ObservedOutput(string Path, ManifestEntry? Actual);

/// <summary>
/// Why a target would run, in words a reviewer reads: "input data/x.csv changed", "parameter Trees: 200 → 300",
/// "code changed", "output models/model.zip missing". Pure: compares the lock file's record with what is observed now.
/// </summary>
internal static class RunExplanation
{
    const int NamedFilesLimit = 5;

    /// <param name="previous">The lock file's entry, or null when the target never ran here.</param>
    /// <param name="current">What the fingerprint would cover now.</param>
    /// <param name="outputs">The declared outputs as found on disk.</param>
    /// <param name="previousTree">Looks up the file list of a tree the lock file recorded (to name changed files); may return null.</param>
    public static IReadOnlyList<string> Explain(
        LockEntry? previous,
        FingerprintInputs current,
        IReadOnlyList<ObservedOutput> outputs,
        Func<string, IReadOnlyList<ManifestFile>?>? previousTree = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(outputs);
        if (previous is null)
            return ["never run"];

        var reasons = new List<string>();
        if (!string.Equals(previous.Version ?? "", current.Version ?? "", StringComparison.Ordinal))
            reasons.Add($"version changed: {Show(previous.Version)} → {Show(current.Version)}");
        if (!string.Equals(previous.CodeHash, current.CodeHash, StringComparison.Ordinal))
            reasons.Add("code changed");
        CompareMaps(previous.Parameters, current.Parameters, "parameter", reasons);
        CompareMaps(previous.ToolVersions, current.ToolVersions, "tool", reasons);

        var before = previous.Inputs.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var now = current.Inputs.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal);
        foreach (var path in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.GetValueOrDefault(path);
            var has = now.GetValueOrDefault(path);
            if (had is null)
                reasons.Add($"input {path} added");
            else if (has is null)
                reasons.Add($"input {path} no longer declared");
            else if (had.Hash != has.Hash || had.Size != has.Size)
                reasons.Add(DescribeChange(path, had, has, current.Inputs.Trees.GetValueOrDefault(path), previousTree));
        }

        var declaredBefore = previous.Outputs.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var recorded = previous.Outputs.FirstOrDefault(o => o.Path == output.Path);
            if (recorded is null)
                reasons.Add($"output {output.Path} newly declared");
            else if (output.Actual is null)
                reasons.Add($"output {output.Path} missing");
            else if (output.Actual.Hash != recorded.Hash || output.Actual.Size != recorded.Size)
                reasons.Add($"output {output.Path} modified");
            declaredBefore.Remove(output.Path);
        }
        foreach (var gone in declaredBefore.Order(StringComparer.Ordinal))
            reasons.Add($"output {gone} no longer declared");

        if (reasons.Count == 0 && previous.Fingerprint != Fingerprint.Compute(current))
            reasons.Add("fingerprint format changed");
        return reasons;
    }

    static string DescribeChange(string path, ManifestEntry had, ManifestEntry has, IReadOnlyList<ManifestFile>? nowFiles,
        Func<string, IReadOnlyList<ManifestFile>?>? previousTree)
    {
        if (!had.IsTree || !has.IsTree || nowFiles is null || previousTree?.Invoke(had.Hash) is not { } beforeFiles)
            return $"input {path} changed";

        var old = beforeFiles.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var cur = nowFiles.ToDictionary(f => f.Path, StringComparer.Ordinal);
        var modified = cur.Keys.Where(p => old.TryGetValue(p, out var o) && o.Hash != cur[p].Hash).Order(StringComparer.Ordinal).ToList();
        var added = cur.Keys.Where(p => !old.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        var removed = old.Keys.Where(p => !cur.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (modified.Count > 0) parts.Add($"{modified.Count} modified");
        if (added.Count > 0) parts.Add($"{added.Count} added");
        if (removed.Count > 0) parts.Add($"{removed.Count} removed");
        var named = modified.Concat(added).Concat(removed).ToList();
        var list = string.Join(", ", named.Take(NamedFilesLimit)) + (named.Count > NamedFilesLimit ? ", …" : "");
        return $"input {path} changed ({string.Join(", ", parts)}: {list})";
    }

    static void CompareMaps(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now, string what, List<string> reasons)
    {
        foreach (var name in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.GetValueOrDefault(name);
            var has = now.GetValueOrDefault(name);
            if (!string.Equals(had, has, StringComparison.Ordinal))
                reasons.Add($"{what} {name}: {Show(had)} → {Show(has)}");
        }
    }

    static string Show(string? value) => value is null ? "(none)" : value.Length == 0 ? "\"\"" : value;
}
