using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.ML.Data;

/// <summary>One column of a typed Parquet file we write: name, type, nullability.</summary>
internal sealed record ColumnLayout(string Name, ColumnType Type, bool Nullable);

/// <summary>Writes chunks to a Parquet file, one row group per chunk, Snappy-compressed.</summary>
internal sealed class ParquetChunkWriter : IAsyncDisposable
{
    private readonly FileStream stream;
    private readonly ParquetWriter writer;
    private readonly DataField[] fields;
    private readonly IReadOnlyList<ColumnLayout> layout;

    private ParquetChunkWriter(FileStream stream, ParquetWriter writer, DataField[] fields, IReadOnlyList<ColumnLayout> layout)
    {
        this.stream = stream;
        this.writer = writer;
        this.fields = fields;
        this.layout = layout;
    }

    public long RowsWritten { get; private set; }

    public static async Task<ParquetChunkWriter> CreateAsync(string path, IReadOnlyList<ColumnLayout> layout, CancellationToken ct = default)
    {
        var fields = layout.Select(c => ParquetColumns.FieldFor(c.Name, c.Type, c.Nullable)).ToArray();
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, ParquetColumns.WriteOptions, false, ct);
            return new ParquetChunkWriter(stream, writer, fields, layout);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public async Task WriteAsync(TableChunk chunk, CancellationToken ct = default)
    {
        if (chunk.RowCount == 0) return;
        using var group = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
            await ParquetColumns.WriteAsync(group, fields[i], chunk.Values(layout[i].Name), ct);
        group.CompleteValidate();
        RowsWritten += chunk.RowCount;
    }

    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }
}
