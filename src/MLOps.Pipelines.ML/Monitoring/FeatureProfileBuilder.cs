using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Accumulates a <see cref="FeatureProfile"/> column by column, a chunk at a time: per numeric feature a count per
/// distinct value, per categorical feature a count per category. Memory grows with the distinct values, not the rows
/// (the flights features have at most a few thousand), so a 2M-row reference streams through in a few MB.
/// </summary>
public sealed class FeatureProfileBuilder
{
    private readonly Dictionary<string, (Dictionary<double, long> Counts, long[] Missing)> numeric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Dictionary<string, long> Counts, long[] Missing)> categorical = new(StringComparer.Ordinal);

    public FeatureProfileBuilder(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var name in spec.Numeric) numeric[name] = ([], [0]);
        foreach (var name in spec.Categorical) categorical[name] = (new Dictionary<string, long>(StringComparer.Ordinal), [0]);
    }

    public long Rows { get; private set; }

    /// <summary>Adds rows given as feature columns (numeric: float or double, nullable or NaN for missing; categorical: strings, null for missing).</summary>
    public void Add(int rowCount, Func<string, Array> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (var (name, (counts, missing)) in numeric)
        {
            switch (column(name))
            {
                case float?[] a: foreach (var v in a) Count(counts, missing, v is { } f && !float.IsNaN(f) ? f : null); break;
                case float[] a: foreach (var v in a) Count(counts, missing, float.IsNaN(v) ? null : v); break;
                case double?[] a: foreach (var v in a) Count(counts, missing, v is { } d && !double.IsNaN(d) ? d : null); break;
                case double[] a: foreach (var v in a) Count(counts, missing, double.IsNaN(v) ? null : v); break;
                case var other: throw new InvalidDataException($"feature '{name}' is {other.GetType().Name}, not a numeric column");
            }
        }
        foreach (var (name, (counts, missing)) in categorical)
        {
            if (column(name) is not string?[] values) throw new InvalidDataException($"feature '{name}' is not a categorical (text) column");
            foreach (var v in values)
            {
                if (v is null) missing[0]++;
                else counts[v] = counts.GetValueOrDefault(v) + 1;
            }
        }
        Rows += rowCount;
    }

    public FeatureProfile Build() => new(
        Rows,
        numeric.ToDictionary(kv => kv.Key, kv => NumericDistribution.Exact(kv.Value.Counts, kv.Value.Missing[0]), StringComparer.Ordinal),
        categorical.ToDictionary(kv => kv.Key, kv => new CategoricalDistribution(kv.Value.Counts, kv.Value.Missing[0]), StringComparer.Ordinal));

    private static void Count(Dictionary<double, long> counts, long[] missing, double? value)
    {
        if (value is not { } v) { missing[0]++; return; }
        counts[v] = counts.GetValueOrDefault(v) + 1;
    }
}
