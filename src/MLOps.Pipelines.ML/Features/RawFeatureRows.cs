using System.Runtime.CompilerServices;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// The model's input columns for raw rows outside Prepare (a model server's requests, golden records): the same
/// <see cref="FeatureColumn"/> code Prepare runs, on a chunk of rows typed as the schema contract declares, without
/// the label (rows to score have none). One code path for training and serving: no skew.
/// </summary>
public static class RawFeatureRows
{
    /// <summary>
    /// A chunk of raw rows: one array per contract column present in <paramref name="columns"/>, typed as the contract
    /// declares (Categorical string?[], Int64 long?[], Double double?[], Single float?[], Bool bool?[], Timestamp DateTime?[]).
    /// </summary>
    public static TableChunk Chunk(SchemaContract schema, IReadOnlyDictionary<string, Array> columns, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        if (columns is OrderedColumns ordered && TypesIn(schema, ordered.Order) is { } types)
        {
            // Every column a schema column: the chunk reads them in their shared order, without a dictionary of its own.
            var values = new Array[types.Length];
            for (var i = 0; i < values.Length; i++) values[i] = Checked(ordered.Order.Names[i], types[i], ordered[i]);
            return new TableChunk(0, rowCount, ordered.Order, types, values);
        }

        var chunk = new TableChunk(0, rowCount, schema.Columns.Count);
        for (var c = 0; c < schema.Columns.Count; c++)
        {
            var column = schema.Columns[c];
            if (columns.TryGetValue(column.Name, out var values)) chunk.Add(column.Name, column.Type, Checked(column.Name, column.Type, values));
        }

        return chunk;
    }

    private static readonly ConditionalWeakTable<ColumnOrder, OrderTypes> TypesByOrder = [];

    /// <summary>The schema's type of each column of <paramref name="order"/>, or null when one is not a schema column (found once per order and schema).</summary>
    private static ColumnType[]? TypesIn(SchemaContract schema, ColumnOrder order)
    {
        if (TypesByOrder.TryGetValue(order, out var known) && ReferenceEquals(known.Schema, schema)) return known.Types;
        var byName = schema.Columns.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
        var types = order.Names.All(byName.ContainsKey) ? order.Names.Select(n => byName[n]).ToArray() : null;
        TypesByOrder.AddOrUpdate(order, new OrderTypes(schema, types));
        return types;
    }

    private sealed record OrderTypes(SchemaContract Schema, ColumnType[]? Types);

    private static Array Checked(string name, ColumnType type, Array values)
    {
        var expected = ArrayType(type);
        return values.GetType() == expected
            ? values
            : throw new ArgumentException($"column '{name}' is {type}: give a {Name(expected)} array, not {Name(values.GetType())}", "columns");
    }

    /// <summary>An array type as C# writes it (long?[], string[]), not as the runtime names it (Nullable`1[]).</summary>
    private static string Name(Type array) => array.GetElementType() is not { } element ? array.Name
        : (Nullable.GetUnderlyingType(element) is { } inner ? Alias(inner) + "?" : Alias(element)) + "[]";

    private static string Alias(Type type) => type == typeof(long) ? "long" : type == typeof(double) ? "double" : type == typeof(float) ? "float"
        : type == typeof(bool) ? "bool" : type == typeof(string) ? "string" : type.Name;

    /// <summary>The .NET array type that holds a column of <paramref name="type"/> in a <see cref="TableChunk"/>.</summary>
    public static Type ArrayType(ColumnType type) => type switch
    {
        ColumnType.Categorical => typeof(string?[]),
        ColumnType.Int64 => typeof(long?[]),
        ColumnType.Double => typeof(double?[]),
        ColumnType.Single => typeof(float?[]),
        ColumnType.Bool => typeof(bool?[]),
        ColumnType.Timestamp => typeof(DateTime?[]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown column type"),
    };

    /// <summary>
    /// Every non-label feature of <paramref name="features"/> computed on <paramref name="raw"/>: numeric features as
    /// float[] (NaN = missing), categorical as string?[] (null = missing), by feature name, and by position in
    /// declaration order (<see cref="OrderedColumns"/>, the same <see cref="ColumnOrder"/> on every call).
    /// </summary>
    public static OrderedColumns Compute(FeatureDefinition features, TableChunk raw)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(raw);
        var order = features.ScoringOrder;
        var result = new Array[order.Count];
        var at = 0;
        for (var c = 0; c < features.Columns.Count; c++)
        {
            var column = features.Columns[c];
            // Rows to score carry no label: neither a binary label nor a multiclass class column is computed.
            if (column.Kind is FeatureKind.Label or FeatureKind.ClassLabel) continue;
            var values = column.Compute(raw);
            if (values.Length != raw.RowCount)
                throw new InvalidOperationException($"feature '{column.Name}' computed {values.Length} values for {raw.RowCount} rows");
            result[at++] = values;
        }

        return new OrderedColumns(order, result);
    }
}
