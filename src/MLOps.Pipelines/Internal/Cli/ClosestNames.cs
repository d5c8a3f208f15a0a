namespace MLOps.Pipelines.Internal.Cli;

/// <summary>Suggests the known names nearest to a mistyped one (edit distance, case-insensitive).</summary>
internal static class ClosestNames
{
    public static IReadOnlyList<string> Find(string typed, IEnumerable<string> known, int max = 3)
    {
        var scored = known
            .Select(name => (name, distance: Distance(typed.ToLowerInvariant(), name.ToLowerInvariant())))
            .Where(x => x.distance <= Math.Max(2, typed.Length / 2) || x.name.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.distance).ThenBy(x => x.name, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.name)
            .ToList();
        return scored;
    }

    /// <summary>" Did you mean Train or Trim?" or an empty string.</summary>
    public static string Hint(string typed, IEnumerable<string> known)
    {
        var closest = Find(typed, known);
        return closest.Count == 0 ? "" : $" Did you mean {string.Join(" or ", closest)}?";
    }

    static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
