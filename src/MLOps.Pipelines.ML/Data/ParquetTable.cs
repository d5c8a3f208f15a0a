using Microsoft.Data.Analysis;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Whole-file Parquet ⇄ <see cref="DataFrame"/> (which ML.NET accepts as an <c>IDataView</c>). Column types map as
/// string ⇄ <see cref="StringDataFrameColumn"/>, int64 ⇄ <see cref="Int64DataFrameColumn"/>, double, float
/// (<see cref="SingleDataFrameColumn"/>), bool, timestamp (<see cref="DateTimeDataFrameColumn"/>). Reading is by row
/// group; the frame itself holds the whole file, so use it for prepared training data, not for raw streams.
/// </summary>
public static class ParquetTable
{
    private const int WriteRowGroupSize = 1 << 20;

    public static DataFrame ReadDataFrame(string path) => ReadDataFrameAsync(path).GetAwaiter().GetResult();

    public static async Task<DataFrame> ReadDataFrameAsync(string path, CancellationToken ct = default)
    {
        var layout = await ParquetChunkReader.ReadLayoutAsync(path, ct);
        var parts = layout.ToDictionary(c => c.Name, _ => new List<Array>());
        await foreach (var chunk in ParquetChunkReader.ReadAsync(path, ct))
            foreach (var c in layout)
                parts[c.Name].Add(chunk.Values(c.Name));
        return new DataFrame(layout.Select(c => ToColumn(c, parts[c.Name])));
    }

    /// <summary>Writes a frame as Snappy-compressed Parquet; a numeric or bool column without nulls is written non-nullable.</summary>
    public static void Write(DataFrame frame, string path) => WriteAsync(frame, path).GetAwaiter().GetResult();

    public static async Task WriteAsync(DataFrame frame, string path, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var layout = frame.Columns.Select(LayoutOf).ToList();
        await using var writer = await ParquetChunkWriter.CreateAsync(path, layout, ct);
        for (long start = 0; start < frame.Rows.Count; start += WriteRowGroupSize)
        {
            var count = (int)Math.Min(WriteRowGroupSize, frame.Rows.Count - start);
            var chunk = new TableChunk(start, count);
            foreach (var column in frame.Columns)
                chunk.Add(column.Name, LayoutOf(column).Type, Slice(column, start, count));
            await writer.WriteAsync(chunk, ct);
        }
    }

    private static DataFrameColumn ToColumn(ColumnLayout c, List<Array> parts) => c.Type switch
    {
        ColumnType.Categorical => new StringDataFrameColumn(c.Name, parts.SelectMany(p => (string?[])p)!),
        ColumnType.Int64 => new Int64DataFrameColumn(c.Name, parts.SelectMany(p => (long?[])p)),
        ColumnType.Double => new DoubleDataFrameColumn(c.Name, parts.SelectMany(p => (double?[])p)),
        ColumnType.Single => new SingleDataFrameColumn(c.Name, parts.SelectMany(p => (float?[])p)),
        ColumnType.Bool => new BooleanDataFrameColumn(c.Name, parts.SelectMany(p => (bool?[])p)),
        ColumnType.Timestamp => new DateTimeDataFrameColumn(c.Name, parts.SelectMany(p => (DateTime?[])p)),
        _ => throw new NotSupportedException(c.Type.ToString()),
    };

    private static ColumnLayout LayoutOf(DataFrameColumn column) => column switch
    {
        StringDataFrameColumn => new(column.Name, ColumnType.Categorical, true),
        Int64DataFrameColumn => new(column.Name, ColumnType.Int64, column.NullCount > 0),
        DoubleDataFrameColumn => new(column.Name, ColumnType.Double, column.NullCount > 0),
        SingleDataFrameColumn => new(column.Name, ColumnType.Single, column.NullCount > 0),
        BooleanDataFrameColumn => new(column.Name, ColumnType.Bool, column.NullCount > 0),
        DateTimeDataFrameColumn => new(column.Name, ColumnType.Timestamp, column.NullCount > 0),
        _ => throw new NotSupportedException($"column '{column.Name}' has type {column.DataType}; Parquet writing supports string, long, double, float, bool and DateTime columns"),
    };

    private static Array Slice(DataFrameColumn column, long start, int count) => column switch
    {
        StringDataFrameColumn s => Take(s, start, count),
        PrimitiveDataFrameColumn<long> p => Take(p, start, count),
        PrimitiveDataFrameColumn<double> p => Take(p, start, count),
        PrimitiveDataFrameColumn<float> p => Take(p, start, count),
        PrimitiveDataFrameColumn<bool> p => Take(p, start, count),
        PrimitiveDataFrameColumn<DateTime> p => Take(p, start, count),
        _ => throw new NotSupportedException(column.DataType.ToString()),
    };

    private static T[] Take<T>(IEnumerable<T> values, long start, int count) => values.Skip(checked((int)start)).Take(count).ToArray();
}
