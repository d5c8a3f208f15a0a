using Parquet;
using Parquet.Schema;

/// <summary>Writes a subset of the raw flights file's rows (date, delay, distance, origin, destination), one output row group per input row group.</summary>
internal static class BatchFiles
{
    public static async Task<long> WriteAsync(string source, string target, Func<DateTime, string, long, bool> keep)
    {
        await using var reader = await ParquetReader.CreateAsync(source);
        var fields = reader.Schema.DataFields;
        await using var stream = File.Create(target);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        long written = 0, rowIndex = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var date = new DateTime?[n];
            var delay = new long?[n];
            var distance = new long?[n];
            var origin = new string?[n];
            var destination = new string?[n];
            await group.ReadAsync<DateTime>(fields[0], date.AsMemory());
            await group.ReadAsync<long>(fields[1], delay.AsMemory());
            await group.ReadAsync<long>(fields[2], distance.AsMemory());
            await group.ReadAsync(fields[3], origin.AsMemory());
            await group.ReadAsync(fields[4], destination.AsMemory());
            var rows = Enumerable.Range(0, n).Where(i => keep(date[i]!.Value, origin[i]!, rowIndex + i)).ToArray();
            rowIndex += n;
            if (rows.Length == 0) continue;
            using var output = writer.CreateRowGroup();
            await output.WriteAsync<DateTime>(fields[0], rows.Select(i => date[i]).ToArray().AsMemory());
            await output.WriteAsync<long>(fields[1], rows.Select(i => delay[i]).ToArray().AsMemory());
            await output.WriteAsync<long>(fields[2], rows.Select(i => distance[i]).ToArray().AsMemory());
            await output.WriteAsync(fields[3], rows.Select(i => origin[i]).ToArray());
            await output.WriteAsync(fields[4], rows.Select(i => destination[i]).ToArray());
            written += rows.Length;
        }
        return written;
    }

    /// <summary>Reads every column of every row group and discards it: the floor any profile of the file pays.</summary>
    public static async Task ReadAllAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            await group.ReadAsync<DateTime>(fields[0], new DateTime?[n].AsMemory());
            await group.ReadAsync<long>(fields[1], new long?[n].AsMemory());
            await group.ReadAsync<long>(fields[2], new long?[n].AsMemory());
            await group.ReadAsync(fields[3], new string?[n].AsMemory());
            await group.ReadAsync(fields[4], new string?[n].AsMemory());
        }
    }
}
