namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// A block of rows held column by column (one Parquet row group or one CSV chunk). Every column is an array of
/// nullable values of its <see cref="ColumnType"/>, exactly <see cref="RowCount"/> long.
/// </summary>
public sealed class TableChunk
{
    // The columns in order. A chunk built column by column finds them by name through a dictionary of its own; a chunk
    // over a served request's columns through their shared ColumnOrder, with its arrays as given: nothing built per request.
    private ColumnType[] types;
    private Array[] values;
    private int count;
    private readonly List<string>? builtNames;
    private readonly Dictionary<string, int>? builtIndex;
    private readonly ColumnOrder? sharedOrder;

    /// <param name="columnCount">Columns expected, to size the lookup once.</param>
    internal TableChunk(long firstRow, int rowCount, int columnCount = 0)
    {
        FirstRow = firstRow;
        RowCount = rowCount;
        types = new ColumnType[columnCount];
        values = new Array[columnCount];
        builtNames = new(columnCount);
        builtIndex = new(columnCount, StringComparer.Ordinal);
    }

    /// <summary>A chunk of <paramref name="values"/>, one array per name of <paramref name="order"/> of its type in <paramref name="types"/>; both kept, not copied.</summary>
    internal TableChunk(long firstRow, int rowCount, ColumnOrder order, ColumnType[] types, Array[] values)
    {
        FirstRow = firstRow;
        RowCount = rowCount;
        if (types.Length != order.Count || values.Length != order.Count) throw new ArgumentException($"{order.Count} columns need as many types and arrays");
        for (var i = 0; i < values.Length; i++)
            if (values[i].Length != rowCount) throw new ArgumentException($"column '{order.Names[i]}' has {values[i].Length} values, the chunk has {rowCount} rows");
        this.types = types;
        this.values = values;
        count = values.Length;
        sharedOrder = order;
    }

    /// <summary>0-based index, in the whole file, of this chunk's first row.</summary>
    public long FirstRow { get; }

    public int RowCount { get; }

    public IReadOnlyList<string> ColumnNames => (IReadOnlyList<string>?)builtNames ?? sharedOrder!.Names;

    public ColumnType TypeOf(string column) => Get(column).Type;

    public bool Contains(string column) => IndexOf(column) >= 0;

    public string?[] Strings(string column) => Get<string?[]>(column, ColumnType.Categorical);

    public long?[] Int64s(string column) => Get<long?[]>(column, ColumnType.Int64);

    public double?[] Doubles(string column) => Get<double?[]>(column, ColumnType.Double);

    public float?[] Singles(string column) => Get<float?[]>(column, ColumnType.Single);

    public bool?[] Bools(string column) => Get<bool?[]>(column, ColumnType.Bool);

    public DateTime?[] Timestamps(string column) => Get<DateTime?[]>(column, ColumnType.Timestamp);

    /// <summary>Any numeric column (int64, double, float) as doubles, for features that do not care which.</summary>
    public double?[] Numbers(string column)
    {
        var (type, values) = Get(column);
        return type switch
        {
            ColumnType.Double => (double?[])values,
            ColumnType.Int64 => Array.ConvertAll((long?[])values, v => (double?)v),
            ColumnType.Single => Array.ConvertAll((float?[])values, v => (double?)v),
            ColumnType.Bool => Array.ConvertAll((bool?[])values, v => v is null ? (double?)null : v.Value ? 1 : 0),
            _ => throw new InvalidOperationException($"column '{column}' is {type}, not numeric"),
        };
    }

    /// <summary>
    /// Any numeric column as float32, missing → NaN, converted through double exactly as <see cref="Numbers"/> and then
    /// a cast to float would (same bits), without the intermediate array: a served request computes this per field.
    /// </summary>
    internal float[] Floats(string column)
    {
        var (type, values) = Get(column);
        return type switch
        {
            ColumnType.Double => Array.ConvertAll((double?[])values, v => v is { } d ? (float)d : float.NaN),
            ColumnType.Int64 => Array.ConvertAll((long?[])values, v => v is { } l ? (float)(double)l : float.NaN),
            ColumnType.Single => Array.ConvertAll((float?[])values, v => v is { } f ? (float)(double)f : float.NaN),
            ColumnType.Bool => Array.ConvertAll((bool?[])values, v => v is { } b ? (b ? 1f : 0f) : float.NaN),
            _ => throw new InvalidOperationException($"column '{column}' is {type}, not numeric"),
        };
    }

    internal Array Values(string column) => Get(column).Values;

    internal void Add(string name, ColumnType type, Array values)
    {
        if (values.Length != RowCount)
            throw new ArgumentException($"column '{name}' has {values.Length} values, the chunk has {RowCount} rows");
        if (builtIndex is null || builtNames is null) throw new InvalidOperationException("a chunk over a shared column order takes no more columns");
        builtIndex.Add(name, count);
        if (count == types.Length)
        {
            Array.Resize(ref types, Math.Max(4, 2 * count));
            Array.Resize(ref this.values, types.Length);
        }

        types[count] = type;
        this.values[count++] = values;
        builtNames.Add(name);
    }

    /// <summary>A new chunk with only the rows where <paramref name="keep"/> is true, in order.</summary>
    internal TableChunk Where(bool[] keep, int keptCount, long firstRow)
    {
        var result = new TableChunk(firstRow, keptCount);
        for (var c = 0; c < count; c++)
        {
            var (name, type, values) = (ColumnNames[c], types[c], this.values[c]);
            Array kept = keptCount == RowCount ? values : values switch
            {
                string?[] a => Filter(a, keep, keptCount),
                long?[] a => Filter(a, keep, keptCount),
                double?[] a => Filter(a, keep, keptCount),
                float?[] a => Filter(a, keep, keptCount),
                bool?[] a => Filter(a, keep, keptCount),
                DateTime?[] a => Filter(a, keep, keptCount),
                _ => throw new InvalidOperationException($"unsupported column array {values.GetType()}"),
            };
            result.Add(name, type, kept);
        }
        return result;
    }

    private static T[] Filter<T>(T[] values, bool[] keep, int keptCount)
    {
        var kept = new T[keptCount];
        var j = 0;
        for (var i = 0; i < values.Length; i++)
            if (keep[i]) kept[j++] = values[i];
        return kept;
    }

    private (ColumnType Type, Array Values) Get(string column) =>
        IndexOf(column) is var c and >= 0
            ? (types[c], values[c])
            : throw new KeyNotFoundException($"column '{column}' is not in this table (columns: {string.Join(", ", ColumnNames)})");

    private int IndexOf(string column) => sharedOrder?.IndexOf(column) ?? (builtIndex!.TryGetValue(column, out var i) ? i : -1);

    private T Get<T>(string column, ColumnType expected) where T : class
    {
        var (type, values) = Get(column);
        return type == expected
            ? (T)(object)values
            : throw new InvalidOperationException($"column '{column}' is {type}, not {expected}");
    }
}
