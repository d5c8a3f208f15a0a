namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// The registry's whole state, as one value: versions in registration order, current aliases, and every alias move.
/// Pure: each change returns a new document; reading and writing the file happen elsewhere.
/// </summary>
internal sealed record RegistryDocument(
    string Model,
    IReadOnlyList<ModelVersion> Versions,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<AliasMove> History)
{
    public static RegistryDocument Empty(string model) =>
        new(model, [], new SortedDictionary<string, int>(StringComparer.Ordinal), []);

    /// <summary>Monotonic: one past the highest version ever registered.</summary>
    public int NextVersion => Versions.Count == 0 ? 1 : Versions.Max(v => v.Version) + 1;

    public ModelVersion? Find(int version) => Versions.FirstOrDefault(v => v.Version == version);

    public RegistryDocument WithVersion(ModelVersion version) => this with { Versions = [.. Versions, version] };

    public RegistryDocument WithMove(AliasMove move)
    {
        var aliases = new SortedDictionary<string, int>(Aliases.ToDictionary(), StringComparer.Ordinal) { [move.Alias] = move.To };
        return this with { Aliases = aliases, History = [.. History, move] };
    }

    /// <summary>
    /// The versions an alias has held, as a stack: a set or promotion pushes, a rollback pops. The top is the current
    /// version; the one below it is where a rollback goes — so two rollbacks in a row walk back two steps
    /// instead of bouncing between the last two versions.
    /// </summary>
    public IReadOnlyList<int> Tenures(string alias)
    {
        var stack = new List<int>();
        foreach (var move in History.Where(m => m.Alias == alias))
        {
            if (move.Kind == AliasMoveKind.Rollback)
            {
                if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                if (stack.Count == 0 || stack[^1] != move.To) stack.Add(move.To);
            }
            else
            {
                stack.Add(move.To);
            }
        }
        return stack;
    }

    /// <summary>The aliases currently pointing at <paramref name="version"/>, sorted.</summary>
    public IReadOnlyList<string> AliasesOf(int version) =>
        [.. Aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal)];
}
