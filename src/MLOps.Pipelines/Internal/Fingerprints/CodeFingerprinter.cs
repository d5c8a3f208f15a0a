using System.Collections.Concurrent;
using System.Reflection;
using System.IO.Hashing;
using System.Text;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Hashes the code a target runs: the IL of its roots (the target property's getter and the delegates passed
/// to Executes) and of every own method they reach, normalized so that only a change in what the code does
/// changes the hash. One instance per process; method analyses are cached, so after the first target a
/// fingerprint costs little more than a walk over the cached call graph.
/// </summary>
internal sealed class CodeFingerprinter
{
    // Bumped whenever the canonical form changes, so old lock files read as "code changed", never as a match.
    private static readonly byte[] Scheme = Encoding.UTF8.GetBytes("mlops-code-fingerprint/1");

    private readonly OwnTypes own;
    private readonly Func<MethodBase, bool> isBoundary;
    private readonly MethodAnalyzer analyzer;
    private readonly ConcurrentDictionary<MethodBase, MethodAnalysis> analyses = new(MetadataDefinitionComparer.Instance);

    /// <param name="ownAssemblies">The repository's assemblies: only methods declared in them are walked into.</param>
    /// <param name="isBoundary">
    /// Methods not to walk into (other targets' property getters); called with open definitions. Roots are
    /// always walked.
    /// </param>
    public CodeFingerprinter(IEnumerable<Assembly> ownAssemblies, Func<MethodBase, bool> isBoundary)
    {
        ArgumentNullException.ThrowIfNull(ownAssemblies);
        ArgumentNullException.ThrowIfNull(isBoundary);
        own = new OwnTypes(ownAssemblies);
        this.isBoundary = isBoundary;
        analyzer = new MethodAnalyzer(own);
    }

    public CodeFingerprint Compute(IReadOnlyList<MethodBase> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
            throw new ArgumentException("A code fingerprint needs at least one root method (the target's getter).", nameof(roots));

        var visited = new HashSet<MethodBase>(MetadataDefinitionComparer.Instance);
        var queue = new Queue<(MethodBase Method, bool Walk)>();
        foreach (var root in roots)
        {
            var definition = OpenDefinitions.Of(root);
            if (visited.Add(definition))
                queue.Enqueue((definition, own.Contains(definition)));
        }

        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var entry = new CanonicalWriter();
        var reached = new List<string>();
        var methodHashes = new List<string>();
        var fields = new HashSet<FieldInfo>(MetadataDefinitionComparer.Instance);
        var total = new XxHash128();
        total.Append(Scheme);

        while (queue.TryDequeue(out var next))
        {
            var analysis = next.Walk
                ? analyses.GetOrAdd(next.Method, analyzer.Analyze)
                : MethodAnalyzer.IdentityOnly(next.Method);

            entry.Reset();
            entry.Text(analysis.Identity);
            Number(entry, analysis.IdentityInventedNames, numbers);
            if (analysis.BodyHash is { } bodyHash)
            {
                entry.Bytes(bodyHash);
                Number(entry, analysis.BodyInventedNames, numbers);
            }
            else
            {
                entry.Tag('-');
            }

            var entryHash = entry.Hash128();
            total.Append(entryHash);
            reached.Add(analysis.DisplayName);
            methodHashes.Add(Convert.ToHexStringLower(entryHash));
            fields.UnionWith(analysis.Fields);

            foreach (var callee in analysis.Callees)
            {
                if (!visited.Contains(callee) && IsWalkable(callee))
                {
                    visited.Add(callee);
                    queue.Enqueue((callee, true));
                }
            }
        }

        return new CodeFingerprint(Convert.ToHexStringLower(total.GetCurrentHash()), fields, reached, methodHashes) { MethodsWalked = visited };
    }

    private bool IsWalkable(MethodBase method) =>
        own.Contains(method)
        && !method.IsAbstract
        && (method.MethodImplementationFlags & (MethodImplAttributes.Runtime | MethodImplAttributes.InternalCall)) == 0
        && (method.Attributes & MethodAttributes.PinvokeImpl) == 0
        && !isBoundary(method);

    // Invented names get their number in this target's order of first encounter, so an edit elsewhere in the
    // class that shifts the compiler's ordinals leaves the fingerprint as it was.
    private static void Number(CanonicalWriter entry, IReadOnlyList<string> invented, Dictionary<string, int> numbers)
    {
        entry.Int32(invented.Count);
        foreach (var name in invented)
        {
            if (!numbers.TryGetValue(name, out var number))
            {
                number = numbers.Count;
                numbers.Add(name, number);
            }

            entry.Int32(number);
        }
    }
}
