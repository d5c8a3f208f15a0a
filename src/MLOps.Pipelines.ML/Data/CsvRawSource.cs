using System.Runtime.CompilerServices;
using nietras.SeparatedValues;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Reads a raw CSV file (RFC 4180 quoting, comma separator, header row) against a contract in chunks of rows, parsing
/// each field into its declared type. A field that does not parse becomes a row violation; a column none of whose
/// first chunk's values parse is a mistyped column and fails the stage.
/// </summary>
internal static class CsvRawSource
{
    public const int DefaultChunkRows = 1 << 16;

    public static async IAsyncEnumerable<RawChunk> ReadAsync(string path, SchemaContract contract, int chunkRows = DefaultChunkRows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var chunk in Read(path, contract, chunkRows))
        {
            ct.ThrowIfCancellationRequested();
            yield return chunk;
        }
        await Task.CompletedTask;
    }

    public static IEnumerable<RawChunk> Read(string path, SchemaContract contract, int chunkRows = DefaultChunkRows)
    {
        using var reader = Open(path);
        var indices = Bind(path, contract, reader.Header);
        var builders = contract.Columns.Select(c => new ColumnBuilder(c, chunkRows)).ToArray();
        long firstRow = 0;
        var first = true;
        while (true)
        {
            var chunk = ReadChunk(path, reader, contract, indices, builders, chunkRows, firstRow);
            if (chunk is null) yield break;
            if (first) RejectMistypedColumns(path, contract, builders, chunk);
            first = false;
            firstRow += chunk.Table.RowCount;
            yield return chunk;
        }
    }

    private static SepReader Open(string path)
    {
        try
        {
            return Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).FromFile(path);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new DataContractException(path, null, null, ContractRule.Format, $"not a readable CSV file ({e.Message})", e);
        }
    }

    private static int[] Bind(string path, SchemaContract contract, SepReaderHeader header)
    {
        if (header.IsEmpty || header.ColNames.All(string.IsNullOrWhiteSpace))
            throw new DataContractException(path, null, null, ContractRule.EmptyFile, "the CSV file has no header row");
        var names = header.ColNames;
        var indices = new int[contract.Columns.Count];
        for (var c = 0; c < indices.Length; c++)
        {
            var name = contract.Columns[c].Name;
            indices[c] = IndexOf(names, name);
            if (indices[c] < 0)
                throw new DataContractException(path, null, name, ContractRule.MissingColumn,
                    $"the contract '{contract.Name}' declares column '{name}' but the header has only: {string.Join(", ", names)}");
        }
        return indices;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }

    private static RawChunk? ReadChunk(string path, SepReader reader, SchemaContract contract, int[] indices, ColumnBuilder[] builders, int chunkRows, long firstRow)
    {
        var violations = new List<(int, ContractViolation)>();
        var lines = new long[chunkRows];
        var headerCount = reader.Header.ColNames.Count;
        var n = 0;
        foreach (var b in builders) b.Reset();
        while (n < chunkRows)
        {
            bool more;
            try
            {
                more = reader.MoveNext();
            }
            catch (Exception e) when (e is InvalidDataException or ArgumentException)
            {
                throw new DataContractException(path, firstRow + n + 1, null, ContractRule.Format, $"unreadable CSV ({e.Message})", e);
            }
            if (!more) break;
            var row = reader.Current;
            if (row.ColCount == 1 && row[0].Span.IsEmpty && headerCount > 1) continue; // blank line
            lines[n] = row.LineNumberFrom;
            if (row.ColCount != headerCount)
            {
                violations.Add((n, new ContractViolation("*", ContractRule.ColumnCount, row.ColCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"the row has {row.ColCount} fields, the header {headerCount}")));
                n++; // its values stay missing

                continue;
            }
            for (var c = 0; c < builders.Length; c++)
            {
                var text = row[indices[c]].Span;
                if (!contract.IsMissingToken(text) && !builders[c].TrySet(n, text)) violations.Add((n, SchemaContract.TypeViolation(contract.Columns[c], text.ToString())));
            }
            n++;
        }
        if (n == 0) return null;
        var table = new TableChunk(firstRow, n);
        foreach (var b in builders) table.Add(b.Column.Name, b.Column.Type, b.Take(n));
        return new RawChunk(table, violations, lines[..n]);
    }

    /// <summary>A column whose every non-missing value in the first chunk fails to parse is declared with the wrong type.</summary>
    private static void RejectMistypedColumns(string path, SchemaContract contract, ColumnBuilder[] builders, RawChunk chunk)
    {
        foreach (var b in builders)
        {
            if (b.Parsed > 0 || b.Failed == 0) continue;
            var (row, violation) = chunk.ReadViolations.First(v => v.Violation.Column == b.Column.Name && v.Violation.Rule == ContractRule.Type);
            throw new DataContractException(path, chunk.Table.FirstRow + row + 1, b.Column.Name, ContractRule.Type,
                $"declared {TextValues.TypeName(b.Column.Type)} in contract '{contract.Name}', but none of the first {chunk.Table.RowCount} values parses as one " +
                $"(first: '{violation.Value}'); fix the column's type in the contract or the file");
        }
    }

    /// <summary>Collects one column of a chunk as typed nullable values.</summary>
    private sealed class ColumnBuilder(ColumnContract column, int capacity)
    {
        private const int MaxInterned = 10_000;
        private readonly Dictionary<string, string> interned = new(StringComparer.Ordinal);
        private Array values = Allocate(column.Type, capacity);

        public ColumnContract Column { get; } = column;

        public long Parsed { get; private set; }

        public long Failed { get; private set; }

        public void Reset()
        {
            values = Allocate(Column.Type, capacity);
            Parsed = 0;
            Failed = 0;
        }

        /// <summary>Parses a non-missing field into row i (arrays start all-null, so missing fields need no call).</summary>
        public bool TrySet(int i, ReadOnlySpan<char> text)
        {
            var ok = true;
            switch (values)
            {
                case string?[] a: a[i] = Intern(text); break;
                case long?[] a: ok = TextValues.TryInt64(text, out var l); if (ok) a[i] = l; break;
                case double?[] a: ok = TextValues.TryDouble(text, out var d); if (ok && !double.IsNaN(d)) a[i] = d; break;
                case float?[] a: ok = TextValues.TryDouble(text, out var f); if (ok && !double.IsNaN(f)) a[i] = (float)f; break;
                case bool?[] a: ok = TextValues.TryBool(text, out var b); if (ok) a[i] = b; break;
                case DateTime?[] a: ok = TextValues.TryTimestamp(text, out var t); if (ok) a[i] = t; break;
            }
            if (ok) Parsed++; else Failed++;
            return ok;
        }

        public Array Take(int n)
        {
            if (n == values.Length) return values;
            var result = Array.CreateInstance(values.GetType().GetElementType()!, n);
            Array.Copy(values, result, n);
            return result;
        }

        private string Intern(ReadOnlySpan<char> text)
        {
            var lookup = interned.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(text, out var known)) return known;
            var s = text.ToString();
            if (interned.Count < MaxInterned) interned.Add(s, s);
            return s;
        }

        private static Array Allocate(ColumnType type, int n) => type switch
        {
            ColumnType.Categorical => new string?[n],
            ColumnType.Int64 => new long?[n],
            ColumnType.Double => new double?[n],
            ColumnType.Single => new float?[n],
            ColumnType.Bool => new bool?[n],
            ColumnType.Timestamp => new DateTime?[n],
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
