using System.Text.RegularExpressions;
using MLOps.Pipelines.CI;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>One CI job: the targets it runs (in dependency order) and the jobs it waits for.</summary>
/// <param name="Needs">Jobs running a direct dependency of one of this job's targets, or a target one of them is ordered after.</param>
/// <param name="Ancestors">Every job upstream of this one (the closure of <paramref name="Needs"/>).</param>
/// <param name="Depth">Length of the longest chain of jobs leading to this one (0 for a job needing nothing).</param>
internal sealed record CiJob(
    string Id,
    IReadOnlyList<CiTarget> Targets,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Ancestors,
    int Depth,
    IReadOnlyList<string> ArtifactPaths,
    bool DeploysToEnvironment)
{
    public IEnumerable<string> TargetNames => Targets.Select(t => t.Name);
}

/// <summary>
/// Turns an attribute and the build into jobs: the dependency closure of the invoked targets, one job per target
/// or per configured group, wired by the target graph. Pure; every misfit is a <see cref="CiConfigurationException"/>.
/// </summary>
internal static partial class CiJobPlan
{
    public static IReadOnlyList<CiJob> Create(CiAttribute attribute, CiBuild build, string where)
    {
        if (attribute.InvokedTargets.Length == 0)
            throw new CiConfigurationException($"{where}: InvokedTargets is empty. Name the targets the pipeline runs, e.g. InvokedTargets = [nameof(Evaluate)].");
        foreach (var name in attribute.InvokedTargets)
            RequireTarget(build, name, where, "InvokedTargets");

        var closure = Closure(build, attribute.InvokedTargets.SelectMany(build.Expand), where);
        var jobOfTarget = AssignJobs(attribute, build, closure, where);
        var extraArtifacts = ParseTargetLists(attribute.ArtifactPaths, where, "ArtifactPaths", build, closure);
        var environmentTargets = (attribute.EnvironmentTargets.Length > 0 ? attribute.EnvironmentTargets : attribute.InvokedTargets)
            .SelectMany(build.Expand).ToHashSet(StringComparer.Ordinal);
        foreach (var name in attribute.EnvironmentTargets)
        {
            RequireTarget(build, name, where, "EnvironmentTargets");
            if (!build.Expand(name).Any(closure.Contains))
                throw new CiConfigurationException($"{where}: EnvironmentTargets names '{name}', which this pipeline does not run. Add it to InvokedTargets or remove it.");
        }
        if (attribute.EnvironmentTargets.Length > 0 && string.IsNullOrEmpty(attribute.Environment))
            throw new CiConfigurationException($"{where}: EnvironmentTargets is set but Environment is not. Set Environment = \"production\" (or the environment's name).");

        // Targets in the build's declaration order keep the output stable and readable.
        var ordered = build.Targets.Where(t => closure.Contains(t.Name)).ToList();
        var jobIds = ordered.Select(t => jobOfTarget[t.Name]).Distinct().ToList();
        var needs = jobIds.ToDictionary(id => id, _ => new SortedSet<string>(StringComparer.Ordinal));
        // An ordering (After/Before) between two targets the pipeline runs is a need as well: a job that reads what the
        // earlier one changes (Monitor reads the registry Register writes) must see it, as in one process.
        foreach (var target in ordered)
            foreach (var earlier in target.DependsOn.Concat(target.OrderedAfter.Where(closure.Contains)))
                if (jobOfTarget[earlier] != jobOfTarget[target.Name])
                    needs[jobOfTarget[target.Name]].Add(jobOfTarget[earlier]);

        var depth = new Dictionary<string, int>();
        var ancestors = new Dictionary<string, SortedSet<string>>();
        foreach (var id in jobIds)
            Visit(id, needs, depth, ancestors, [], where);

        return jobIds
            .Select(id =>
            {
                var targets = ordered.Where(t => jobOfTarget[t.Name] == id).ToList();
                var artifacts = targets
                    .SelectMany(t => t.ArtifactPaths.Concat(extraArtifacts.GetValueOrDefault(t.Name, [])))
                    .Select(p => p.Replace('\\', '/'))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                return new CiJob(id, targets, needs[id].ToList(), ancestors[id].ToList(), depth[id], artifacts,
                    !string.IsNullOrEmpty(attribute.Environment) && targets.Any(t => environmentTargets.Contains(t.Name)));
            })
            .OrderBy(j => j.Depth)
            .ThenBy(j => j.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The job id of a target: kebab-case of its name (<c>TrainModel</c> → <c>train-model</c>); a family instance's key
    /// follows in lower case with anything but letters, digits, '-' and '_' as '-' (<c>Train@FlightDelays</c> →
    /// <c>train-flightdelays</c>).
    /// </summary>
    public static string JobIdOf(string target)
    {
        var at = target.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? Kebab(target) : Kebab(target[..at]) + "-" + KeyCharacters().Replace(target[(at + 1)..], "-").ToLowerInvariant();
    }

    /// <summary>Kebab-case of a target name: <c>TrainModel</c> → <c>train-model</c>, <c>ExportONNX</c> → <c>export-onnx</c>.</summary>
    public static string Kebab(string name) =>
        WordBoundary().Replace(name, "-").Replace('_', '-').ToLowerInvariant();

    static HashSet<string> Closure(CiBuild build, IEnumerable<string> invoked, string where)
    {
        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(invoked);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!closure.Add(name))
                continue;
            foreach (var dependency in build.FindTarget(name)!.DependsOn)
            {
                if (build.FindTarget(dependency) is null)
                    throw new CiConfigurationException($"{where}: target '{name}' depends on '{dependency}', which the build does not declare.");
                pending.Push(dependency);
            }
        }
        return closure;
    }

    static Dictionary<string, string> AssignJobs(CiAttribute attribute, CiBuild build, HashSet<string> closure, string where)
    {
        var jobOfTarget = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in attribute.JobGroups)
        {
            var (group, members) = ParseEntry(entry, where, "JobGroups", "\"train: Prepare, Train\"");
            if (!JobId().IsMatch(group))
                throw new CiConfigurationException($"{where}: JobGroups entry \"{entry}\": job name '{group}' must start with a letter and use only letters, digits, '-' and '_'.");
            foreach (var member in members.SelectMany(m => build.Declares(m) ? build.Expand(m) : [m]))
            {
                if (!closure.Contains(member))
                    throw new CiConfigurationException($"{where}: JobGroups entry \"{entry}\" names '{member}', which this pipeline does not run. Run targets: {string.Join(", ", closure.Order(StringComparer.Ordinal))}.");
                if (!jobOfTarget.TryAdd(member, group))
                    throw new CiConfigurationException($"{where}: JobGroups puts '{member}' into both '{jobOfTarget[member]}' and '{group}'. A target runs in one job.");
            }
        }
        var groups = jobOfTarget.Values.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ownJobs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in closure.Order(StringComparer.Ordinal))
        {
            if (jobOfTarget.ContainsKey(name))
                continue;
            var id = JobIdOf(name);
            if (groups.Contains(id) || !ownJobs.TryAdd(id, name))
                throw new CiConfigurationException($"{where}: target '{name}' maps to job name '{id}', which {(groups.Contains(id) ? "is a JobGroups name" : $"target '{ownJobs[id]}' maps to as well")}. Rename the group or put the targets into one JobGroups entry.");
            jobOfTarget[name] = id;
        }
        return jobOfTarget;
    }

    static Dictionary<string, string[]> ParseTargetLists(string[] entries, string where, string property, CiBuild build, HashSet<string> closure)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var (name, values) = ParseEntry(entry, where, property, "\"Evaluate: artifacts/reports/, artifacts/metrics.json\"");
            RequireTarget(build, name, where, property);
            var targets = build.Expand(name).Where(closure.Contains).ToList();
            if (targets.Count == 0)
                throw new CiConfigurationException($"{where}: {property} entry \"{entry}\" names '{name}', which this pipeline does not run.");
            foreach (var target in targets)
                result[target] = [.. result.GetValueOrDefault(target, []), .. values];
        }
        return result;
    }

    static (string Key, string[] Values) ParseEntry(string entry, string where, string property, string example)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        var values = colon < 0 ? [] : entry[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (colon <= 0 || values.Length == 0)
            throw new CiConfigurationException($"{where}: {property} entry \"{entry}\" is not \"name: A, B\". Example: {example}.");
        return (entry[..colon].Trim(), values);
    }

    static void RequireTarget(CiBuild build, string name, string where, string property)
    {
        if (!build.Declares(name))
            throw new CiConfigurationException(
                $"{where}: {property} names '{name}', which is not a target of the build. Targets: {string.Join(", ", build.Targets.Select(t => t.Name))}.");
    }

    static void Visit(string id, Dictionary<string, SortedSet<string>> needs, Dictionary<string, int> depth,
        Dictionary<string, SortedSet<string>> ancestors, List<string> path, string where)
    {
        if (depth.ContainsKey(id))
            return;
        if (path.Contains(id))
            throw new CiConfigurationException(
                $"{where}: the jobs form a cycle ({string.Join(" → ", path.SkipWhile(p => p != id).Append(id))}); a JobGroups entry joins targets that have another job between them. Add that target to the group or split the group.");
        path.Add(id);
        var all = new SortedSet<string>(StringComparer.Ordinal);
        var d = 0;
        foreach (var need in needs[id])
        {
            Visit(need, needs, depth, ancestors, path, where);
            all.Add(need);
            all.UnionWith(ancestors[need]);
            d = Math.Max(d, depth[need] + 1);
        }
        path.RemoveAt(path.Count - 1);
        depth[id] = d;
        ancestors[id] = all;
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex WordBoundary();

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex KeyCharacters();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex JobId();
}
