using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.ML.Data;

/// <summary>Reads a raw Parquet file against a contract, one row group at a time; schema mismatches fail before any row is read.</summary>
internal static class ParquetRawSource
{
    public static async IAsyncEnumerable<RawChunk> ReadAsync(string path, SchemaContract contract, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, null, ct);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException)
        {
            throw new DataContractException(path, null, null, ContractRule.Format, $"not a readable Parquet file ({e.Message})", e);
        }
        await using (reader)
        {
            var fields = Bind(path, contract, reader.Schema);
            long firstRow = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                if (group.RowCount == 0) continue;
                var chunk = new TableChunk(firstRow, checked((int)group.RowCount));
                foreach (var (column, field) in fields)
                    chunk.Add(column.Name, column.Type, await ParquetColumns.ReadAsync(group, field, column.Type, ct));
                firstRow += chunk.RowCount;
                yield return new RawChunk(chunk, [], null);
            }
        }
    }

    private static List<(ColumnContract Column, DataField Field)> Bind(string path, SchemaContract contract, ParquetSchema schema)
    {
        var byName = schema.DataFields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var bound = new List<(ColumnContract, DataField)>();
        foreach (var column in contract.Columns)
        {
            if (!byName.TryGetValue(column.Name, out var field))
                throw new DataContractException(path, null, column.Name, ContractRule.MissingColumn,
                    $"the contract '{contract.Name}' declares column '{column.Name}' but the file has only: {string.Join(", ", byName.Keys)}");
            var stored = ParquetColumns.TypeOf(field);
            if (stored is null || !ParquetColumns.CanRead(stored.Value, column.Type))
                throw new DataContractException(path, null, column.Name, ContractRule.Type,
                    $"declared {TextValues.TypeName(column.Type)} but the file stores {(stored?.ToString() ?? field.ClrType.Name)}; fix the contract or the producer of the file");
            bound.Add((column, field));
        }
        return bound;
    }
}
