using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Features;
using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.Bench.TrainBenchmark;

/// <summary>
/// The flights task of the reference script: month, day of month, day of week (Monday = 0), fractional departure
/// hour, distance, origin, destination; label delay &gt; 15 minutes. Read straight from Parquet with Parquet.Net 6.
/// </summary>
internal sealed class FlightsData
{
    public static readonly FeatureSpec Spec = new(
        "delayed", ["month", "day_of_month", "day_of_week", "dep_hour", "distance"], ["origin", "destination"]);

    private FlightsData(int rows) => Rows = rows;

    public int Rows { get; }
    public float[] Month { get; private init; } = [];
    public float[] DayOfMonth { get; private init; } = [];
    public float[] DayOfWeek { get; private init; } = [];
    public float[] DepHour { get; private init; } = [];
    public float[] Distance { get; private init; } = [];
    public string[] Origin { get; private init; } = [];
    public string[] Destination { get; private init; } = [];
    public bool[] Delayed { get; private init; } = [];

    public static async Task<FlightsData> LoadAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name);
        var dates = new List<DateTime>();
        var delays = new List<long>();
        var distances = new List<long>();
        var origins = new List<string>();
        var destinations = new List<string>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            dates.AddRange(await Read<DateTime>(group, Field(fields, "date", path), n));
            delays.AddRange(await Read<long>(group, Field(fields, "delay", path), n));
            distances.AddRange(await Read<long>(group, Field(fields, "distance", path), n));
            origins.AddRange(await ReadStrings(group, Field(fields, "origin", path), n));
            destinations.AddRange(await ReadStrings(group, Field(fields, "destination", path), n));
        }

        return new FlightsData(dates.Count)
        {
            Month = dates.Select(d => (float)d.Month).ToArray(),
            DayOfMonth = dates.Select(d => (float)d.Day).ToArray(),
            DayOfWeek = dates.Select(d => (float)(((int)d.DayOfWeek + 6) % 7)).ToArray(),
            DepHour = dates.Select(d => (float)(d.Hour + d.Minute / 60.0)).ToArray(),
            Distance = distances.Select(d => (float)d).ToArray(),
            Origin = origins.ToArray(),
            Destination = destinations.ToArray(),
            Delayed = delays.Select(d => d > 15).ToArray(),
        };
    }

    /// <summary>The rows as a DataFrame in the prepared-data contract's shape.</summary>
    public DataFrame Frame(IReadOnlyList<int> rows) => new(
        new PrimitiveDataFrameColumn<bool>(Spec.Label, rows.Select(i => Delayed[i])),
        new PrimitiveDataFrameColumn<float>("month", rows.Select(i => Month[i])),
        new PrimitiveDataFrameColumn<float>("day_of_month", rows.Select(i => DayOfMonth[i])),
        new PrimitiveDataFrameColumn<float>("day_of_week", rows.Select(i => DayOfWeek[i])),
        new PrimitiveDataFrameColumn<float>("dep_hour", rows.Select(i => DepHour[i])),
        new PrimitiveDataFrameColumn<float>("distance", rows.Select(i => Distance[i])),
        new StringDataFrameColumn("origin", rows.Select(i => Origin[i])),
        new StringDataFrameColumn("destination", rows.Select(i => Destination[i])));

    private static DataField Field(Dictionary<string, DataField> fields, string name, string path) =>
        fields.TryGetValue(name, out var f) ? f : throw new InvalidDataException($"'{path}' has no column '{name}'.");

    private static async Task<T[]> Read<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[n];
            await group.ReadAsync<T>(field, values.AsMemory());
            return values;
        }

        var nullable = new T?[n];
        await group.ReadAsync<T>(field, nullable.AsMemory());
        return nullable.Select((v, i) => v ?? throw new InvalidDataException($"Column '{field.Name}' has a null in row {i}.")).ToArray();
    }

    private static async Task<string[]> ReadStrings(ParquetRowGroupReader group, DataField field, int n)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory());
        return values.Select((v, i) => v ?? throw new InvalidDataException($"Column '{field.Name}' has a null in row {i}.")).ToArray();
    }
}
