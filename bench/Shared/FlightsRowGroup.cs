using Parquet;
using Parquet.Data;
using Parquet.Schema;

/// <summary>
/// One row group of the raw flights file (date, delay, distance, origin, destination), as the benchmarks copy, filter
/// and read it; compiled into IngestBenchmark and MonitorBenchmark.
/// </summary>
internal sealed record FlightsRowGroup(DateTime?[] Date, long?[] Delay, long?[] Distance, string?[] Origin, string?[] Destination)
{
    public int Count => Date.Length;

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public FlightsRowGroup Select(int[] rows) => new(
        [.. rows.Select(i => Date[i])], [.. rows.Select(i => Delay[i])], [.. rows.Select(i => Distance[i])],
        [.. rows.Select(i => Origin[i])], [.. rows.Select(i => Destination[i])]);

    /// <summary>
    /// Streams <paramref name="source"/> to <paramref name="target"/> one row group at a time: each input group becomes the
    /// groups <paramref name="map"/> returns (none, itself, copies, a subset). Snappy, the source's schema.
    /// </summary>
    public static async Task CopyAsync(string source, string target, Func<FlightsRowGroup, IEnumerable<FlightsRowGroup>> map)
    {
        await using var reader = await ParquetReader.CreateAsync(source);
        var fields = reader.Schema.DataFields;
        await using var stream = File.Create(target);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            foreach (var output in map(await ReadAsync(reader, fields, g)))
                await output.WriteAsync(writer, fields);
        }
    }

    /// <summary>Reads every column of every row group and discards it: the floor any profile of the file pays.</summary>
    public static async Task ReadAllAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        for (var g = 0; g < reader.RowGroupCount; g++) await ReadAsync(reader, reader.Schema.DataFields, g);
    }

    static async Task<FlightsRowGroup> ReadAsync(ParquetReader reader, DataField[] fields, int index)
    {
        using var group = reader.OpenRowGroupReader(index);
        var n = (int)group.RowCount;
        var rows = new FlightsRowGroup(new DateTime?[n], new long?[n], new long?[n], new string?[n], new string?[n]);
        await group.ReadAsync<DateTime>(fields[0], rows.Date.AsMemory());
        await group.ReadAsync<long>(fields[1], rows.Delay.AsMemory());
        await group.ReadAsync<long>(fields[2], rows.Distance.AsMemory());
        await group.ReadAsync(fields[3], rows.Origin.AsMemory());
        await group.ReadAsync(fields[4], rows.Destination.AsMemory());
        return rows;
    }

    async Task WriteAsync(ParquetWriter writer, DataField[] fields)
    {
        using var output = writer.CreateRowGroup();
        await output.WriteAsync<DateTime>(fields[0], Date.AsMemory());
        await output.WriteAsync<long>(fields[1], Delay.AsMemory());
        await output.WriteAsync<long>(fields[2], Distance.AsMemory());
        await output.WriteAsync(fields[3], Origin!);
        await output.WriteAsync(fields[4], Destination!);
    }
}
