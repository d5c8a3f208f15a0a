namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// The distribution of one numeric feature over a data set: either exact (every distinct value with its count, what
/// a batch of rows gives) or binned (bin edges and counts, what a live summary gives). Missing values are counted apart.
/// </summary>
public sealed class NumericDistribution
{
    private NumericDistribution(double[] points, long[] counts, bool binned, long missing)
    {
        Points = points;
        Counts = counts;
        IsBinned = binned;
        Missing = missing;
        Total = counts.Sum();
    }

    /// <summary>Exact: the sorted distinct values. Binned: the sorted bin edges (one more than <see cref="Counts"/>).</summary>
    public IReadOnlyList<double> Points { get; }

    public IReadOnlyList<long> Counts { get; }

    public bool IsBinned { get; }

    /// <summary>Rows whose value is missing (NaN or null); not part of <see cref="Total"/>.</summary>
    public long Missing { get; }

    /// <summary>Rows with a value.</summary>
    public long Total { get; }

    public double Min => Points.Count == 0 ? double.NaN : Points[0];

    public double Max => Points.Count == 0 ? double.NaN : Points[^1];

    /// <summary>Distinct values (exact) or bins (binned).</summary>
    public int Distinct => Counts.Count;

    public static NumericDistribution Exact(IReadOnlyDictionary<double, long> valueCounts, long missing = 0)
    {
        ArgumentNullException.ThrowIfNull(valueCounts);
        var points = valueCounts.Where(kv => kv.Value > 0).Select(kv => kv.Key).Order().ToArray();
        return new NumericDistribution(points, points.Select(p => valueCounts[p]).ToArray(), false, missing);
    }

    public static NumericDistribution Binned(IReadOnlyList<double> edges, IReadOnlyList<long> counts, long missing = 0)
    {
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentNullException.ThrowIfNull(counts);
        if (edges.Count != counts.Count + 1)
            throw new ArgumentException($"a histogram needs one more bin edge than counts, got {edges.Count} edges and {counts.Count} counts");
        for (var i = 1; i < edges.Count; i++)
            if (!(edges[i] > edges[i - 1])) throw new ArgumentException($"bin edges must increase strictly, but edge {i} ({edges[i]}) follows {edges[i - 1]}");
        if (counts.Any(c => c < 0)) throw new ArgumentException("bin counts must not be negative");
        return new NumericDistribution(edges.ToArray(), counts.ToArray(), true, missing);
    }

    /// <summary>Share of values ≤ x: a step function when exact, linear inside each bin when binned.</summary>
    public double Cdf(double x)
    {
        if (Total == 0) return 0;
        if (!IsBinned)
        {
            var index = UpperBound(x); // values ≤ x are Points[0..index)
            return (double)PrefixCount(index) / Total;
        }
        if (x <= Points[0]) return 0;
        if (x >= Points[^1]) return 1;
        var bin = UpperBound(x) - 1;
        var inside = (x - Points[bin]) / (Points[bin + 1] - Points[bin]);
        return (PrefixCount(bin) + (inside * Counts[bin])) / Total;
    }

    /// <summary>
    /// Counts of this distribution in the bins [e0, e1), [e1, e2), …, [e(n-1), en]; values outside the edges fall into
    /// the first or last bin. A binned distribution is split across the target bins in proportion to overlap (uniform
    /// within its own bins).
    /// </summary>
    public double[] CountsIn(IReadOnlyList<double> edges)
    {
        var bins = edges.Count - 1;
        var result = new double[bins];
        if (!IsBinned)
        {
            for (var i = 0; i < Points.Count; i++) result[BinOf(edges, Points[i])] += Counts[i];
            return result;
        }
        for (var b = 0; b < bins; b++)
        {
            var lo = b == 0 ? double.NegativeInfinity : edges[b];
            var hi = b == bins - 1 ? double.PositiveInfinity : edges[b + 1];
            result[b] = (Cdf(hi) - Cdf(lo)) * Total;
        }
        return result;
    }

    /// <summary>Mean and population standard deviation (bin midpoints when binned).</summary>
    public (double Mean, double StandardDeviation) Moments()
    {
        if (Total == 0) return (double.NaN, double.NaN);
        double sum = 0, sumSquares = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            var x = IsBinned ? (Points[i] + Points[i + 1]) / 2 : Points[i];
            sum += x * Counts[i];
        }
        var mean = sum / Total;
        for (var i = 0; i < Counts.Count; i++)
        {
            var x = IsBinned ? (Points[i] + Points[i + 1]) / 2 : Points[i];
            sumSquares += (x - mean) * (x - mean) * Counts[i];
        }
        return (mean, Math.Sqrt(sumSquares / Total));
    }

    internal static int BinOf(IReadOnlyList<double> edges, double x)
    {
        var bins = edges.Count - 1;
        if (x < edges[1]) return 0;
        if (x >= edges[bins - 1]) return bins - 1;
        int lo = 1, hi = bins - 1; // edges[lo] <= x < edges[hi]
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (edges[mid] <= x) lo = mid; else hi = mid;
        }
        return lo;
    }

    private long[]? prefix;

    private long PrefixCount(int count)
    {
        if (prefix is null)
        {
            var p = new long[Counts.Count + 1];
            for (var i = 0; i < Counts.Count; i++) p[i + 1] = p[i] + Counts[i];
            prefix = p;
        }
        return prefix[count];
    }

    /// <summary>The number of points ≤ x.</summary>
    private int UpperBound(double x)
    {
        int lo = 0, hi = Points.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Points[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
