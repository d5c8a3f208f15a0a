namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>The distribution of one categorical feature: each value's count, and the missing values apart.</summary>
public sealed class CategoricalDistribution
{
    public CategoricalDistribution(IReadOnlyDictionary<string, long> counts, long missing = 0)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Values.Any(c => c < 0)) throw new ArgumentException("category counts must not be negative", nameof(counts));
        Counts = new SortedDictionary<string, long>(counts.Where(kv => kv.Value > 0).ToDictionary(), StringComparer.Ordinal);
        Missing = missing;
        Total = Counts.Values.Sum();
    }

    /// <summary>Value → count, sorted by value (ordinal).</summary>
    public IReadOnlyDictionary<string, long> Counts { get; }

    public long Missing { get; }

    public long Total { get; }
}
