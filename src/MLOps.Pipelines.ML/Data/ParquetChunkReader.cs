using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.ML.Data;

/// <summary>Reads a flat Parquet file one row group at a time, each column in its natural <see cref="ColumnType"/>.</summary>
internal static class ParquetChunkReader
{
    public static async Task<IReadOnlyList<ColumnLayout>> ReadLayoutAsync(string path, CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, null, ct);
        return Layout(path, reader.Schema);
    }

    public static async IAsyncEnumerable<TableChunk> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var reader = await ParquetReader.CreateAsync(path, null, ct);
        var layout = Layout(path, reader.Schema);
        var fields = reader.Schema.DataFields;
        long firstRow = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var chunk = new TableChunk(firstRow, checked((int)group.RowCount));
            for (var c = 0; c < fields.Length; c++)
                chunk.Add(layout[c].Name, layout[c].Type, await ParquetColumns.ReadAsync(group, fields[c], layout[c].Type, ct));
            firstRow += chunk.RowCount;
            yield return chunk;
        }
    }

    private static List<ColumnLayout> Layout(string path, ParquetSchema schema) =>
        schema.DataFields.Select(f => new ColumnLayout(
            f.Name,
            ParquetColumns.TypeOf(f) ?? throw new NotSupportedException($"{path}: column '{f.Name}' has type {f.ClrType}{(f.IsArray ? "[]" : "")}, which tabular reading does not support"),
            f.IsNullable)).ToList();
}
