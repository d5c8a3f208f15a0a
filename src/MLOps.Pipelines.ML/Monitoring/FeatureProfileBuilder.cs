using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Accumulates a <see cref="FeatureProfile"/> column by column, a chunk at a time: per numeric feature a count per
/// distinct value, per categorical feature a count per category. Memory grows with the distinct values, not the rows
/// (the flights features have at most a few thousand), so a 2M-row reference streams through in a few MB.
/// A long-lived producer (the model server's live view) bounds it with <c>maxDistinctValues</c>: past that many values a
/// numeric feature switches to <c>overflowBins</c> equal-width bins over the range seen so far, which double their width
/// (merging neighbours, so no count is lost or guessed) whenever a later value falls outside; further new categories
/// count as <see cref="OtherCategory"/>.
/// </summary>
public sealed class FeatureProfileBuilder
{
    /// <summary>The category that new values count as once a categorical feature holds <c>maxDistinctValues</c>.</summary>
    public const string OtherCategory = "__other__";

    private readonly int maxDistinctValues;
    private readonly int overflowBins;
    private readonly Dictionary<string, NumericCounts> numeric = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Dictionary<string, long> Counts, long[] Missing)> categorical = new(StringComparer.Ordinal);
    // Each numeric, then each categorical feature, in the dictionaries' order (fixed after construction).
    private readonly ColumnPositions featurePositions;

    public FeatureProfileBuilder(FeatureSpec spec) : this(spec, int.MaxValue)
    {
    }

    public FeatureProfileBuilder(FeatureSpec spec, int maxDistinctValues, int overflowBins = 100)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDistinctValues, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(overflowBins, 2);
        if (overflowBins % 2 != 0) throw new ArgumentOutOfRangeException(nameof(overflowBins), overflowBins, "an even number of bins (widening merges pairs)");
        this.maxDistinctValues = maxDistinctValues;
        this.overflowBins = overflowBins;
        foreach (var name in spec.Numeric) numeric[name] = new NumericCounts();
        foreach (var name in spec.Categorical) categorical[name] = (new Dictionary<string, long>(StringComparer.Ordinal), [0]);
        featurePositions = new ColumnPositions(numeric.Keys.Concat(categorical.Keys));
    }

    public long Rows { get; private set; }

    /// <summary>Adds rows given as feature columns (numeric: float or double, null, NaN or infinite for missing; categorical: strings, null for missing).</summary>
    public void Add(int rowCount, Func<string, Array> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        foreach (var (name, counts) in numeric) CountNumeric(name, counts, column(name));
        foreach (var (name, (counts, missing)) in categorical) CountCategorical(name, counts, missing, column(name));
        Rows += rowCount;
    }

    /// <summary>
    /// Adds rows given as named feature columns, as <see cref="Add(int, Func{string, Array})"/> does; an
    /// <see cref="OrderedColumns"/> is read by position, its order's names resolved on its first call (the model server
    /// adds a batch per request, every one in the same order).
    /// </summary>
    public void Add(int rowCount, IReadOnlyDictionary<string, Array> columns)
    {
        var picked = featurePositions.Of(columns);
        var i = 0;
        foreach (var (name, counts) in numeric) CountNumeric(name, counts, picked[i++]);
        foreach (var (name, (counts, missing)) in categorical) CountCategorical(name, counts, missing, picked[i++]);
        Rows += rowCount;
    }

    private void CountNumeric(string name, NumericCounts counts, Array column)
    {
        switch (column)
        {
            case float?[] a: foreach (var v in a) Count(counts, v is { } f && float.IsFinite(f) ? f : null); break;
            case float[] a: foreach (var v in a) Count(counts, float.IsFinite(v) ? v : null); break;
            case double?[] a: foreach (var v in a) Count(counts, v is { } d && double.IsFinite(d) ? d : null); break;
            case double[] a: foreach (var v in a) Count(counts, double.IsFinite(v) ? v : null); break;
            case var other: throw new InvalidDataException($"feature '{name}' is {other.GetType().Name}, not a numeric column");
        }
    }

    private void CountCategorical(string name, Dictionary<string, long> counts, long[] missing, Array column)
    {
        if (column is not string?[] values) throw new InvalidDataException($"feature '{name}' is not a categorical (text) column");
        foreach (var v in values)
        {
            if (v is null) missing[0]++;
            else
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(counts, v);
                if (!Unsafe.IsNullRef(ref count)) count++;
                else CollectionsMarshal.GetValueRefOrAddDefault(counts, counts.Count < maxDistinctValues ? v : OtherCategory, out _)++;
            }
        }
    }

    public FeatureProfile Build() => new(
        Rows,
        numeric.ToDictionary(kv => kv.Key, kv => kv.Value.Build(), StringComparer.Ordinal),
        categorical.ToDictionary(kv => kv.Key, kv => new CategoricalDistribution(kv.Value.Counts, kv.Value.Missing[0]), StringComparer.Ordinal));

    private void Count(NumericCounts counts, double? value)
    {
        if (value is not { } v) { counts.Missing++; return; }
        if (counts.Edges is not null) { counts.AddBinned(v); return; }
        CollectionsMarshal.GetValueRefOrAddDefault(counts.Exact, v, out _)++; // one lookup, not two: this runs per value in the model server
        if (counts.Exact.Count > maxDistinctValues) counts.ToBins(overflowBins);
    }

    private sealed class NumericCounts
    {
        public Dictionary<double, long> Exact = [];
        public double[]? Edges;
        public long[]? Bins;
        public long Missing;

        public void ToBins(int bins)
        {
            // The largest value opens the last bin rather than closing it, so that widening upward keeps it in its place.
            var (min, max) = (Exact.Keys.Min(), Exact.Keys.Max());
            var width = (max - min) / (bins - 1);
            Edges = Enumerable.Range(0, bins + 1).Select(i => min + (width * i)).ToArray();
            Bins = new long[bins];
            foreach (var (value, count) in Exact) Bins[NumericDistribution.BinOf(Edges, value)] += count;
            Exact = [];
        }

        public void AddBinned(double v)
        {
            // Bounded: doubling from a finite width reaches any finite value within ~2,100 steps, or overflows to infinity.
            while ((v < Edges![0] || v > Edges[^1]) && Widen(v < Edges[0])) { }
            Bins![NumericDistribution.BinOf(Edges!, v)]++;
        }

        /// <summary>Doubles the bin width, keeping the edge on the side away from <paramref name="downward"/>; false when the width overflows.</summary>
        private bool Widen(bool downward)
        {
            var n = Bins!.Length;
            var width = 2 * ((Edges![^1] - Edges[0]) / n);
            if (!double.IsFinite(width * n)) return false;
            var merged = new long[n];
            var offset = downward ? n / 2 : 0;
            for (var i = 0; i < n / 2; i++) merged[offset + i] = Bins[2 * i] + Bins[(2 * i) + 1];
            var (lo, hi) = downward ? (Edges[^1] - (width * n), Edges[^1]) : (Edges[0], Edges[0] + (width * n));
            Edges = Enumerable.Range(0, n + 1).Select(i => lo + (width * i)).ToArray();
            Edges[0] = lo;
            Edges[^1] = hi;
            Bins = merged;
            return true;
        }

        public NumericDistribution Build() => Edges is null
            ? NumericDistribution.Exact(Exact, Missing)
            : NumericDistribution.Binned(Edges, Bins!, Missing);
    }
}
