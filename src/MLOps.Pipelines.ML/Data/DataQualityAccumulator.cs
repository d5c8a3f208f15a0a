namespace MLOps.Pipelines.ML.Data;

/// <summary>Accumulates per-column statistics chunk by chunk, in memory bounded by the number of distinct categories (capped).</summary>
internal sealed class DataQualityAccumulator(SchemaContract contract, int topCategories = 20)
{
    private const int MaxTrackedCategories = 10_000;
    private readonly Dictionary<string, ColumnStats> stats = contract.Columns.ToDictionary(c => c.Name, c => new ColumnStats(c));
    private readonly Dictionary<string, long> byRule = new(StringComparer.Ordinal);

    public void AddViolation(ContractViolation violation)
    {
        byRule[violation.Rule] = byRule.GetValueOrDefault(violation.Rule) + 1;
        if (stats.TryGetValue(violation.Column, out var s)) s.Violations++;
    }

    public void AddAccepted(TableChunk chunk)
    {
        foreach (var s in stats.Values) s.Add(chunk.Values(s.Column.Name));
    }

    public DataQualityReport Build(string file, TabularFormat format, long read, long accepted, long duplicates) => new(
        file, format, contract.Name, read, accepted, read - accepted,
        read == 0 ? 0 : (double)(read - accepted) / read,
        duplicates,
        byRule.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
        contract.Columns.Select(c => stats[c.Name].Build(topCategories)).ToList());

    private sealed class ColumnStats(ColumnContract column)
    {
        private readonly Dictionary<string, long> categories = new(StringComparer.Ordinal);
        private bool truncated;
        private long nulls, count;
        private double min = double.PositiveInfinity, max = double.NegativeInfinity, sum;
        private DateTime? earliest, latest;

        public ColumnContract Column { get; } = column;

        public long Violations { get; set; }

        public void Add(Array values)
        {
            switch (values)
            {
                case string?[] a: foreach (var v in a) Count(v); break;
                case bool?[] a: foreach (var v in a) Count(v is null ? null : v.Value ? "true" : "false"); break;
                case long?[] a: foreach (var v in a) Number(v); break;
                case double?[] a: foreach (var v in a) Number(v is { } d && !double.IsNaN(d) ? d : null); break;
                case float?[] a: foreach (var v in a) Number(v is { } f && !float.IsNaN(f) ? f : null); break;
                case DateTime?[] a:
                    foreach (var v in a)
                    {
                        if (v is not { } t) { nulls++; continue; }
                        if (earliest is null || t < earliest) earliest = t;
                        if (latest is null || t > latest) latest = t;
                    }
                    break;
            }
        }

        public ColumnQuality Build(int top)
        {
            var quality = new ColumnQuality(Column.Name, Column.Type, nulls, Violations);
            return Column.Type switch
            {
                ColumnType.Int64 or ColumnType.Double or ColumnType.Single => count == 0 ? quality : quality with { Min = min, Max = max, Mean = sum / count },
                ColumnType.Timestamp => quality with { Earliest = earliest, Latest = latest },
                _ => quality with
                {
                    Distinct = categories.Count,
                    DistinctTruncated = truncated ? true : null,
                    TopCategories = categories.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                        .Take(top).Select(kv => new CategoryCount(kv.Key, kv.Value)).ToList(),
                },
            };
        }

        private void Number(double? value)
        {
            if (value is not { } v) { nulls++; return; }
            count++;
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
        }

        private void Count(string? value)
        {
            if (value is null) { nulls++; return; }
            if (categories.TryGetValue(value, out var n)) categories[value] = n + 1;
            else if (categories.Count < MaxTrackedCategories) categories[value] = 1;
            else truncated = true;
        }
    }
}
