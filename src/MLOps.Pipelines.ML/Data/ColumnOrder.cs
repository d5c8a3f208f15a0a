using System.Collections.Frozen;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Column names in a fixed order with their positions, made once per layout (a schema's request fields, a feature
/// definition's model inputs) and shared by every batch of that layout (<see cref="OrderedColumns"/>): code that reads
/// the same layout on every call resolves its names to positions once instead of hashing them per call.
/// </summary>
public sealed class ColumnOrder
{
    private readonly FrozenDictionary<string, int> positions;

    public ColumnOrder(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        Names = [.. names];
        var byName = new Dictionary<string, int>(Names.Count, StringComparer.Ordinal);
        for (var i = 0; i < Names.Count; i++)
            if (!byName.TryAdd(Names[i], i)) throw new ArgumentException($"column '{Names[i]}' appears twice", nameof(names));
        positions = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>The position of <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => positions.TryGetValue(name, out var i) ? i : -1;
}
