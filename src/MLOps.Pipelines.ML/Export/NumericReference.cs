using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// One raw numeric field's distribution in the ingested data, in buckets bounded by its minimum and its distinct
/// deciles: what a model server counts live values into (a scan of a few edges per value, where a quantile summary
/// sorted and merged on the request path) and compares them with for drift. Bucket <c>i</c> holds the values above
/// <c>Edges[i-1]</c> and at or below <c>Edges[i]</c>; the last, the values above the last edge. The minimum as the
/// first edge keeps a rare value of a flag apart (a field 90 % ones has every decile at 1) and puts live values below
/// the training range in a bucket of their own. A field whose deciles repeat has fewer edges, and its buckets hold
/// unequal shares, hence <see cref="Shares"/>.
/// </summary>
/// <param name="Edges">The minimum, then the distinct deciles (10th … 90th percentile, nearest rank), increasing.</param>
/// <param name="Shares">Each bucket's share of the field's non-missing values (one more entry than <see cref="Edges"/>).</param>
public sealed record NumericReference(IReadOnlyList<double> Edges, IReadOnlyList<double> Shares)
{
    /// <summary>Values per field the deciles are taken from: a seeded uniform sample beyond it (algorithm R).</summary>
    public const int SampleSize = 100_000;

    /// <summary>The bucket <paramref name="value"/> falls in: how many edges lie below it.</summary>
    public int Bucket(double value)
    {
        // Edges are few (at most 10): a linear scan beats a binary search's branches.
        var i = 0;
        while (i < Edges.Count && Edges[i] < value) i++;
        return i;
    }

    /// <summary>The reference of a field from its values (any order, no missing ones); null for none.</summary>
    public static NumericReference? Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var edges = new List<double> { sorted[0] };
        for (var d = 1; d <= 9; d++)
        {
            var edge = sorted[(int)Math.Ceiling(d * sorted.Length / 10.0) - 1];
            if (edge > edges[^1]) edges.Add(edge);
        }

        var buckets = new NumericReference(edges, []);
        var counts = new long[edges.Count + 1];
        foreach (var v in sorted) counts[buckets.Bucket(v)]++;
        return buckets with { Shares = counts.Select(c => (double)c / sorted.Length).ToArray() };
    }

    /// <summary>
    /// The references of a schema's numeric fields (int64, double, single; not the label) in a Parquet file of raw
    /// rows, such as Ingest's data; a field with no value in the file has none. The same file gives the same result.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, NumericReference>> ReadAsync(string parquetPath, SchemaContract schema, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!File.Exists(parquetPath)) throw new FileNotFoundException($"{parquetPath}: the ingested data does not exist (run Ingest first).", parquetPath);
        var fields = schema.Columns
            .Where(c => c.Name != schema.Label && c.Type is ColumnType.Int64 or ColumnType.Double or ColumnType.Single)
            .Select(c => c.Name).ToArray();
        var samples = fields.ToDictionary(f => f, _ => new List<double>(), StringComparer.Ordinal);
        var seen = fields.ToDictionary(f => f, _ => 0L, StringComparer.Ordinal);
        var random = new Random(20261201);
        await foreach (var chunk in ParquetChunkReader.ReadAsync(parquetPath, ct))
        {
            foreach (var field in fields)
            {
                if (!chunk.Contains(field)) continue;
                var sample = samples[field];
                foreach (var value in chunk.Numbers(field))
                {
                    if (value is not { } v || !double.IsFinite(v)) continue;
                    var n = ++seen[field];
                    if (sample.Count < SampleSize) sample.Add(v);
                    else if (random.NextInt64(n) is var slot && slot < SampleSize) sample[(int)slot] = v;
                }
            }
        }

        return samples
            .Select(s => (s.Key, Reference: Of(s.Value)))
            .Where(s => s.Reference is not null)
            .ToDictionary(s => s.Key, s => s.Reference!, StringComparer.Ordinal);
    }
}
