using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// A schema's request fields prepared once for the readers: the non-label columns in schema order, a UTF-8 name →
/// column index lookup (no transcoding, no linear scan per value) and each categorical column's declared categories
/// as shared strings (a known category costs no allocation). Cached per <see cref="SchemaContract"/> instance.
/// </summary>
internal sealed class SchemaFields
{
    private static readonly ConditionalWeakTable<SchemaContract, SchemaFields> Cache = [];

    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> index;
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>>?[] categories;
    private readonly byte[]? label;
    private readonly byte[][] utf8Names;

    private SchemaFields(SchemaContract schema)
    {
        Schema = schema;
        Columns = [.. schema.Columns.Where(c => c.Name != schema.Label)];
        Order = new ColumnOrder(Columns.Select(c => c.Name));
        utf8Names = [.. Columns.Select(c => Encoding.UTF8.GetBytes(c.Name))];
        var names = new Dictionary<byte[], int>(Utf8Comparer.Instance);
        for (var i = 0; i < Columns.Length; i++) names.TryAdd(utf8Names[i], i);
        index = names.GetAlternateLookup<ReadOnlySpan<byte>>();
        categories = new Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>>?[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            if (Columns[i].Categories is not { } known) continue;
            var byText = new Dictionary<byte[], string>(Utf8Comparer.Instance);
            foreach (var category in known) byText.TryAdd(Encoding.UTF8.GetBytes(category), category);
            categories[i] = byText.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        label = schema.Label is null ? null : Encoding.UTF8.GetBytes(schema.Label);
        NameList = string.Join(", ", Columns.Select(c => c.Name));
    }

    public SchemaContract Schema { get; }

    /// <summary>The columns a request sends: every schema column but the label, in schema order.</summary>
    public ColumnContract[] Columns { get; }

    /// <summary>The names of <see cref="Columns"/>: the order of every <see cref="RawBatch"/> read with these fields.</summary>
    public ColumnOrder Order { get; }

    /// <summary>The column names joined for messages ("a, b, c").</summary>
    public string NameList { get; }

    public static SchemaFields For(SchemaContract schema) => Cache.GetValue(schema, s => new SchemaFields(s));

    /// <summary>
    /// The index in <see cref="Columns"/> of the field named by the reader's current property name or string, or -1;
    /// <paramref name="likely"/>, the index expected there (clients send fields in schema order), is compared first.
    /// </summary>
    public int IndexOf(ref Utf8JsonReader reader, int likely = -1)
    {
        if ((uint)likely < (uint)utf8Names.Length && reader.ValueTextEquals(utf8Names[likely])) return likely;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence) return index.TryGetValue(reader.ValueSpan, out var i) ? i : -1;
        var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        var unescaped = ArrayPool<byte>.Shared.Rent(length); // an escaped name ("ten\u0075re") is rare: no stack buffer
        try
        {
            return index.TryGetValue(unescaped.AsSpan(0, reader.CopyString(unescaped)), out var i) ? i : -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(unescaped);
        }
    }

    /// <summary>Whether the reader's current property name is the schema's label.</summary>
    public bool IsLabel(ref Utf8JsonReader reader) => label is not null && reader.ValueTextEquals(label);

    /// <summary>The shared string of a declared category equal to the reader's current string, or null when undeclared.</summary>
    public string? KnownCategory(int column, ref Utf8JsonReader reader)
    {
        if (categories[column] is not { } lookup || reader.ValueIsEscaped || reader.HasValueSequence) return null;
        return lookup.TryGetValue(reader.ValueSpan, out var text) ? text : null;
    }

    /// <summary>Ordinal byte equality, with lookups by span (no key array per request).</summary>
    private sealed class Utf8Comparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8Comparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
