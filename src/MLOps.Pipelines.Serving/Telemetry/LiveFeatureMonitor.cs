using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Telemetry;

/// <summary>
/// Watches the raw inputs one model receives: Prometheus summaries (numeric) and per-value counters (categorical,
/// bool), running totals per field, and a uniform reservoir sample of the raw records (Vitter's algorithm R, seeded)
/// that <see cref="WriteSampleCsv"/> exports as a CSV in the raw schema, the "new batch" a Monitor stage reads.
/// </summary>
internal sealed class LiveFeatureMonitor
{
    private const int MaxDistinctValues = 100;
    private const string Other = "__other__";

    private readonly string model;
    private readonly ServerMetrics metrics;
    private readonly List<ColumnContract> columns;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary;
    private readonly int capacity;
    private readonly List<object?[]> sample = [];
    private readonly Dictionary<string, FieldTotals> totals;
    private readonly Random random = new(20261130);
    private readonly Lock gate = new();
    private readonly Dictionary<string, (Prometheus.Summary.Child Values, Prometheus.Counter.Child Missing)> children = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Field, string Value), Prometheus.Counter.Child> categoryChildren = [];
    private long rowsSeen;

    public LiveFeatureMonitor(string model, SchemaContract schema, IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary, ServerMetrics metrics, int capacity)
    {
        this.model = model;
        this.metrics = metrics;
        this.vocabulary = vocabulary;
        this.capacity = capacity;
        columns = schema.Columns.Where(c => c.Name != schema.Label).ToList();
        totals = columns.ToDictionary(c => c.Name, _ => new FieldTotals(), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Fields => columns.Select(c => c.Name).ToList();

    public void Observe(RawBatch batch)
    {
        lock (gate)
        {
            foreach (var column in columns)
            {
                var values = batch.Columns[column.Name];
                var total = totals[column.Name];
                // Labelled children are looked up once per field: WithLabels per value cost more than the scoring.
                if (!children.TryGetValue(column.Name, out var child))
                    children[column.Name] = child = (metrics.LiveNumeric.WithLabels(model, column.Name), metrics.LiveMissing.WithLabels(model, column.Name));
                for (var i = 0; i < batch.RowCount; i++)
                {
                    var value = values.GetValue(i);
                    total.Count++;
                    switch (value)
                    {
                        case null:
                            total.Missing++;
                            child.Missing.Inc();
                            break;
                        case long or double or float:
                            var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                            total.Add(d);
                            child.Values.Observe(d);
                            break;
                        case string or bool:
                            var text = value is bool b ? (b ? "true" : "false") : (string)value;
                            var key = total.Categories.ContainsKey(text) || Known(column, text) || total.Categories.Count < MaxDistinctValues ? text : Other;
                            total.Categories[key] = total.Categories.GetValueOrDefault(key) + 1;
                            // Looked up once per field and value, as the numeric children are: WithLabels per value, under the gate, serialised requests.
                            if (!categoryChildren.TryGetValue((column.Name, key), out var counter))
                                categoryChildren[(column.Name, key)] = counter = metrics.LiveCategories.WithLabels(model, column.Name, key);
                            counter.Inc();
                            break;
                    }
                }
            }

            for (var i = 0; i < batch.RowCount; i++)
            {
                rowsSeen++;
                if (sample.Count < capacity) sample.Add(Row(batch, i));
                else if (random.NextInt64(rowsSeen) is var j && j < capacity) sample[(int)j] = Row(batch, i);
            }
        }
    }

    /// <summary>The sampled raw records as CSV: a header of the schema's fields (label excluded), missing as empty.</summary>
    public string WriteSampleCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(c => Quote(c.Name))).Append('\n');
        lock (gate)
        {
            foreach (var row in sample)
                text.AppendJoin(',', row.Select(v => Quote(Format(v)))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Per-field totals since start: count, missing, and numeric min/max/mean or categorical counts.</summary>
    public JsonObject Summary(string version)
    {
        lock (gate)
        {
            var fields = new JsonObject();
            foreach (var column in columns)
            {
                var t = totals[column.Name];
                var field = new JsonObject { ["type"] = column.Type.ToString(), ["count"] = t.Count, ["missing"] = t.Missing };
                if (column.Type is ColumnType.Categorical or ColumnType.Bool)
                    field["categories"] = new JsonObject(t.Categories.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
                else if (t.Numeric > 0)
                {
                    field["min"] = t.Min;
                    field["max"] = t.Max;
                    field["mean"] = t.Sum / t.Numeric;
                }

                fields[column.Name] = field;
            }

            return new JsonObject
            {
                ["format"] = "mlops-live-summary/1",
                ["model"] = model,
                ["version"] = version,
                ["rows_seen"] = rowsSeen,
                ["sample_rows"] = sample.Count,
                ["fields"] = fields,
            };
        }
    }

    private bool Known(ColumnContract column, string value) =>
        (column.Categories?.Contains(value) ?? false) || (vocabulary.TryGetValue(column.Name, out var v) && v.Contains(value));

    private object?[] Row(RawBatch batch, int i)
    {
        var row = new object?[columns.Count];
        for (var c = 0; c < columns.Count; c++) row[c] = batch.Columns[columns[c].Name].GetValue(i);
        return row;
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(value is double or float ? "R" : null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private sealed class FieldTotals
    {
        public long Count;
        public long Missing;
        public long Numeric;
        public double Sum;
        public double Min = double.PositiveInfinity;
        public double Max = double.NegativeInfinity;
        public readonly Dictionary<string, long> Categories = new(StringComparer.Ordinal);

        public void Add(double value)
        {
            Numeric++;
            Sum += value;
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }
    }
}
