using System.Globalization;
using System.Text;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
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
/// series per raw field: numeric values counted in the field's training-decile buckets (model.json's
/// <see cref="NumericReference"/>, exported beside them), categorical and bool values counted per value.
/// </summary>
internal sealed class LiveFeatureMonitor
{
    private const int MaxDistinctValues = 100;
    private const string Other = FeatureProfileBuilder.OtherCategory;

    /// <summary>Distinct values a feature's live profile holds exactly before it falls back to bins (memory stays bounded).</summary>
    private const int MaxProfileValues = 5_000;

    private readonly string model;
    private readonly ServerMetrics metrics;
    private readonly ColumnContract[] columns;
    // Where the columns are in a batch: the readers' batches come in the schema's order, taken by position, not by name.
    private readonly ColumnPositions fieldPositions;
    private readonly IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary;
    private readonly IReadOnlyDictionary<string, NumericReference> reference;
    private readonly int capacity;
    // The reservoir, column by column in the raw schema's typed arrays (no boxed row per sampled record: while the
    // reservoir fills, every record is sampled); grown by doubling up to the capacity.
    private Array[] sampleColumns = [];
    private int sampleCount;
    private readonly FeatureProfileBuilder profile;
    private readonly Random random = new(20261130);
    private readonly Lock gate = new();
    // Made on the first batch (a field's series appear once there is something to count), then reused.
    private FieldObserver[]? observers;
    private long rowsSeen;

    public LiveFeatureMonitor(
        string model, SchemaContract schema, FeatureSpec features, IReadOnlyDictionary<string, IReadOnlySet<string>> vocabulary,
        IReadOnlyDictionary<string, NumericReference> reference, ServerMetrics metrics, int capacity)
    {
        this.model = model;
        this.metrics = metrics;
        this.vocabulary = vocabulary;
        this.reference = reference;
        this.capacity = capacity;
        columns = SchemaFields.For(schema).Columns;
        fieldPositions = new ColumnPositions(columns.Select(c => c.Name));
        profile = new FeatureProfileBuilder(features, MaxProfileValues);
    }

    public IReadOnlyList<string> Fields => columns.Select(c => c.Name).ToList();

    /// <summary>Counts one scored batch: its raw fields and the features computed from them (non-label features by name).</summary>
    public void Observe(RawBatch batch, IReadOnlyDictionary<string, Array> features)
    {
        lock (gate)
        {
            profile.Add(batch.RowCount, features);
            var observers = Observers();
            var raw = fieldPositions.Of(batch.Columns);
            for (var c = 0; c < observers.Length; c++)
                observers[c].Observe(raw[c], batch.RowCount);

            for (var i = 0; i < batch.RowCount; i++)
            {
                rowsSeen++;
                if (sampleCount < capacity) Keep(raw, i, sampleCount++);
                else if (random.NextInt64(rowsSeen) is var j && j < capacity) Keep(raw, i, (int)j);
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
            for (var r = 0; r < sampleCount; r++)
                text.AppendJoin(',', sampleColumns.Select(column => Quote(Format(column.GetValue(r))))).Append('\n');
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
            sampled = sampleCount;
        }

        return FeatureSummaryFile.Serialize(built, $"model server: {model} version {version}, live inputs since start ({built.Rows} rows, {sampled} sampled)");
    }

    private FieldObserver[] Observers()
    {
        if (observers is not null) return observers;
        // Made on the first batch: a field's series appear once there is something to count (the monitor a model has
        // before it loads never observes). A numeric field's reference buckets are exported beside its live ones.
        return observers = [.. columns.Select(c => new FieldObserver(
            Buckets(c.Name), metrics.LiveMissing.WithLabels(model, c.Name),
            value => (c.Categories?.Contains(value) ?? false) || (vocabulary.TryGetValue(c.Name, out var v) && v.Contains(value)),
            value => metrics.LiveCategories.WithLabels(model, c.Name, value)))];
    }

    /// <summary>A numeric field's live bucket counter, its reference exported beside it; null without a reference.</summary>
    private (NumericReference Reference, Prometheus.Histogram.Child Counts)? Buckets(string field)
    {
        if (!reference.TryGetValue(field, out var r)) return null;
        var below = 0.0;
        for (var i = 0; i < r.Edges.Count; i++)
        {
            var bucket = i.ToString(CultureInfo.InvariantCulture);
            below += r.Shares[i];
            metrics.ReferenceEdge.WithLabels(model, field, bucket).Set(r.Edges[i]);
            metrics.ReferenceShare.WithLabels(model, field, bucket).Set(below);
        }

        return (r, metrics.LiveNumeric.WithLabels(model, field));
    }

    /// <summary>Puts record <paramref name="row"/> of the batch's columns into reservoir slot <paramref name="slot"/>.</summary>
    private void Keep(ColumnPositions.Picked raw, int row, int slot)
    {
        if (slot >= (sampleColumns.Length == 0 ? 0 : sampleColumns[0].Length))
        {
            var size = Math.Min(capacity, Math.Max(1024, 2 * slot));
            var grown = new Array[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                grown[c] = FieldReader.NewColumn(columns[c], size);
                if (sampleColumns.Length > 0) Array.Copy(sampleColumns[c], grown[c], sampleColumns[c].Length); // full when it grows
            }

            sampleColumns = grown;
        }

        for (var c = 0; c < columns.Length; c++) Array.Copy(raw[c], row, sampleColumns[c], slot, 1);
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

    /// <summary>
    /// One raw field's Prometheus series: a numeric value into its reference bucket, categorical and bool values into a
    /// counter per value (capped: each one is a time series), nulls into its missing counter. Reads the field's typed
    /// array directly (no boxing per value), and keeps every labelled child it made: WithLabels per value cost more than the scoring.
    /// </summary>
    private sealed class FieldObserver(
        (NumericReference Reference, Prometheus.Histogram.Child Counts)? buckets, Prometheus.Counter.Child missing, Func<string, bool> known, Func<string, Prometheus.Counter.Child> category)
    {
        private readonly Dictionary<string, Prometheus.Counter.Child> categories = new(StringComparer.Ordinal);
        private readonly NumericReference? reference = buckets?.Reference;
        private readonly Prometheus.Histogram.Child? counts = buckets?.Counts;

        public void Observe(Array array, int rows)
        {
            switch (array)
            {
                case long?[] a: for (var i = 0; i < rows; i++) Number(a[i]); break;
                case double?[] a: for (var i = 0; i < rows; i++) Number(a[i]); break;
                case float?[] a: for (var i = 0; i < rows; i++) Number(a[i]); break;
                case string?[] a: for (var i = 0; i < rows; i++) Category(a[i]); break;
                case bool?[] a: for (var i = 0; i < rows; i++) Category(a[i] is { } b ? (b ? "true" : "false") : null); break;
                case DateTime?[] a: // timestamps: only their missing values are counted
                    for (var i = 0; i < rows; i++)
                        if (a[i] is null) missing.Inc();
                    break;
            }
        }

        private void Number(double? value)
        {
            if (value is not { } v) missing.Inc();
            else counts?.Observe(reference!.Bucket(v));
        }

        private void Category(string? value)
        {
            if (value is null)
            {
                missing.Inc();
                return;
            }

            if (!categories.TryGetValue(value, out var counter))
            {
                var key = categories.Count < MaxDistinctValues || known(value) ? value : Other;
                if (!categories.TryGetValue(key, out counter)) categories[key] = counter = category(key);
            }

            counter.Inc();
        }
    }
}
