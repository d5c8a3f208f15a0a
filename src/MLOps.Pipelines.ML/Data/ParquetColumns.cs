using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.ML.Data;

/// <summary>Maps Parquet columns to <see cref="ColumnType"/> and moves one column of a row group in or out as a nullable array.</summary>
internal static class ParquetColumns
{
    /// <summary>Snappy: Parquet.Net's default Zstd at its default level is several times slower to write.</summary>
    public static ParquetOptions WriteOptions => new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>The column type a Parquet field naturally reads as, or null when we do not support it (nested, binary, decimal...).</summary>
    public static ColumnType? TypeOf(DataField field)
    {
        if (field.IsArray) return null;
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return ColumnType.Categorical;
        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint))
            return ColumnType.Int64;
        if (t == typeof(double)) return ColumnType.Double;
        if (t == typeof(float)) return ColumnType.Single;
        if (t == typeof(bool)) return ColumnType.Bool;
        if (t == typeof(DateTime)) return ColumnType.Timestamp;
        return null;
    }

    /// <summary>Whether a stored type can be read as a declared type without losing information.</summary>
    public static bool CanRead(ColumnType stored, ColumnType declared) =>
        stored == declared
        || (declared == ColumnType.Double && stored is ColumnType.Int64 or ColumnType.Single);

    public static DataField FieldFor(string name, ColumnType type, bool nullable) => type switch
    {
        ColumnType.Categorical => new DataField<string>(name, nullable),
        ColumnType.Int64 => new DataField<long>(name, nullable),
        ColumnType.Double => new DataField<double>(name, nullable),
        ColumnType.Single => new DataField<float>(name, nullable),
        ColumnType.Bool => new DataField<bool>(name, nullable),
        ColumnType.Timestamp => new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Reads one column of a row group as a nullable array of <paramref name="target"/>'s type.</summary>
    public static async Task<Array> ReadAsync(ParquetRowGroupReader group, DataField field, ColumnType target, CancellationToken ct = default)
    {
        var n = checked((int)group.RowCount);
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[n];
            await group.ReadAsync(field, strings.AsMemory(), null, ct);
            return strings;
        }
        if (t == typeof(long)) return Convert(await ReadAsync<long>(group, field, n, ct), target);
        if (t == typeof(int)) return Convert(Widen(await ReadAsync<int>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(short)) return Convert(Widen(await ReadAsync<short>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(sbyte)) return Convert(Widen(await ReadAsync<sbyte>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(byte)) return Convert(Widen(await ReadAsync<byte>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(ushort)) return Convert(Widen(await ReadAsync<ushort>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(uint)) return Convert(Widen(await ReadAsync<uint>(group, field, n, ct), v => (long)v), target);
        if (t == typeof(double)) return await ReadAsync<double>(group, field, n, ct);
        if (t == typeof(float))
        {
            var floats = await ReadAsync<float>(group, field, n, ct);
            return target == ColumnType.Double ? Widen(floats, v => (double)v) : floats;
        }
        if (t == typeof(bool)) return await ReadAsync<bool>(group, field, n, ct);
        if (t == typeof(DateTime))
        {
            // Parquet.Net tags wall-clock timestamps as Local without shifting them; make them zone-free.
            var times = await ReadAsync<DateTime>(group, field, n, ct);
            for (var i = 0; i < times.Length; i++)
                if (times[i] is { } v) times[i] = DateTime.SpecifyKind(v, DateTimeKind.Unspecified);
            return times;
        }
        throw new NotSupportedException($"Parquet column '{field.Name}' has unsupported type {t}");
    }

    public static async Task WriteAsync(ParquetRowGroupWriter group, DataField field, Array values, CancellationToken ct = default)
    {
        switch (values)
        {
            case string?[] strings:
                await group.WriteAsync(field, strings!, null);
                break;
            case long?[] a: await WriteAsync(group, field, a, ct); break;
            case double?[] a: await WriteAsync(group, field, a, ct); break;
            case float?[] a: await WriteAsync(group, field, a, ct); break;
            case bool?[] a: await WriteAsync(group, field, a, ct); break;
            case DateTime?[] a: await WriteAsync(group, field, a, ct); break;
            default: throw new NotSupportedException($"cannot write {values.GetType()} to Parquet column '{field.Name}'");
        }
    }

    private static async Task WriteAsync<T>(ParquetRowGroupWriter group, DataField field, T?[] values, CancellationToken ct) where T : struct
    {
        if (field.IsNullable)
        {
            await group.WriteAsync<T>(field, values.AsMemory(), null, null, ct);
            return;
        }
        var dense = new T[values.Length];
        for (var i = 0; i < values.Length; i++)
            dense[i] = values[i] ?? throw new InvalidOperationException($"null value at index {i} of non-nullable column '{field.Name}'");
        await group.WriteAsync<T>(field, dense.AsMemory(), null, null, ct);
    }

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int n, CancellationToken ct) where T : struct
    {
        var values = new T?[n];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            return values;
        }
        var dense = new T[n];
        await group.ReadAsync<T>(field, dense.AsMemory(), null, ct);
        for (var i = 0; i < n; i++) values[i] = dense[i];
        return values;
    }

    private static TOut?[] Widen<TIn, TOut>(TIn?[] values, Func<TIn, TOut> widen) where TIn : struct where TOut : struct
    {
        var result = new TOut?[values.Length];
        for (var i = 0; i < values.Length; i++)
            if (values[i] is { } v) result[i] = widen(v);
        return result;
    }

    private static Array Convert(long?[] values, ColumnType target) =>
        target == ColumnType.Double ? Widen(values, v => (double)v) : values;
}
