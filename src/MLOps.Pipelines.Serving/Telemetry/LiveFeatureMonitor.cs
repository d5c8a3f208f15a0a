using System.Globalization;
using System.Text;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.Serving.Input;
using RawBatch = MLOps.Pipelines.Serving.Input.RawBatch;

namespace MLOps.Pipelines.Serving.Telemetry;

/// <summary>
/// Watches the inputs one model receives, in the two forms a Monitor stage reads as its "new batch": the profile of the
/// computed features (the ML library's <see cref="FeatureProfileBuilder"/>, bounded for a long-lived server), exported by
/// <see cref="Summary"/> in <see cref="FeatureSummaryFile"/>'s format, and a uniform reservoir sample of the raw records
/// (Vitter's algorithm R, seeded) that <see cref="WriteSampleCsv"/> exports as a CSV in the raw schema. Also Prometheus
/// summaries (numeric) and per-value counters (categorical, bool) per raw field.
/// </summary>
internal sealed class LiveFeatureMonitor
{
    private const int MaxDistinctValues = 100;
    private const string Other = FeatureProfileBuilder.OtherCategory;

    /// <summary>Distinct values a feature's live profile holds exactly before it falls back to bins (memory stays bounded).</summary>
    private const int MaxProfileValues = 5_000;

    private readonly string model;
    private readonly ServerMetrics metrics;
    private readonly List<ColumnContract> columns;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary;
    private readonly int capacity;
    private readonly List<object?[]> sample = [];
    // Per field, the label values seen so far and their counter children (looked up once: WithLabels per value cost
    // more than the scoring, under the gate that serialises requests).
    private readonly Dictionary<string, Dictionary<string, Prometheus.Counter.Child>> categoryLabels;
    private readonly FeatureProfileBuilder profile;
    private readonly Random random = new(20261130);
    private readonly Lock gate = new();
    private readonly Dictionary<string, (Prometheus.Summary.Child Values, Prometheus.Counter.Child Missing)> children = new(StringComparer.Ordinal);
    private long rowsSeen;

    public LiveFeatureMonitor(
        string model, SchemaContract schema, FeatureSpec features, IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary, ServerMetrics metrics, int capacity)
    {
        this.model = model;
        this.metrics = metrics;
        this.vocabulary = vocabulary;
        this.capacity = capacity;
        columns = schema.Columns.Where(c => c.Name != schema.Label).ToList();
        categoryLabels = columns.ToDictionary(c => c.Name, _ => new Dictionary<string, Prometheus.Counter.Child>(StringComparer.Ordinal), StringComparer.Ordinal);
        profile = new FeatureProfileBuilder(features, MaxProfileValues);
    }

    public IReadOnlyList<string> Fields => columns.Select(c => c.Name).ToList();

    /// <summary>Counts one scored batch: its raw fields and the features computed from them (non-label features by name).</summary>
    public void Observe(RawBatch batch, IReadOnlyDictionary<string, Array> features)
    {
        lock (gate)
        {
            profile.Add(batch.RowCount, name => features[name]);
            foreach (var column in columns)
            {
                var values = batch.Columns[column.Name];
                var labels = categoryLabels[column.Name];
                // Labelled children are looked up once per field: WithLabels per value cost more than the scoring.
                if (!children.TryGetValue(column.Name, out var child))
                    children[column.Name] = child = (metrics.LiveNumeric.WithLabels(model, column.Name), metrics.LiveMissing.WithLabels(model, column.Name));
                for (var i = 0; i < batch.RowCount; i++)
                {
                    var value = values.GetValue(i);
                    switch (value)
                    {
                        case null:
                            child.Missing.Inc();
                            break;
                        case long or double or float:
                            child.Values.Observe(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                            break;
                        case string or bool:
                            // Prometheus label values are capped per field: each one is a time series.
                            var text = value is bool b ? (b ? "true" : "false") : (string)value;
                            var key = labels.ContainsKey(text) || Known(column, text) || labels.Count < MaxDistinctValues ? text : Other;
                            if (!labels.TryGetValue(key, out var counter))
                                labels[key] = counter = metrics.LiveCategories.WithLabels(model, column.Name, key);
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

    /// <summary>The computed features' profile since start, as <see cref="FeatureSummaryFile"/> JSON (what Monitor reads).</summary>
    public string Summary(string version)
    {
        FeatureProfile built;
        int sampled;
        lock (gate)
        {
            built = profile.Build();
            sampled = sample.Count;
        }

        return FeatureSummaryFile.Serialize(built, $"model server: {model} version {version}, live inputs since start ({built.Rows} rows, {sampled} sampled)");
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
}
