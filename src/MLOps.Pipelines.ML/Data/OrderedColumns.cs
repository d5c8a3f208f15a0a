using System.Collections;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// One batch's columns (one array per name, all as long as the batch) in a <see cref="ColumnOrder"/>: readable by name
/// like any dictionary, and by position for code that resolved the order's names once.
/// </summary>
public sealed class OrderedColumns : IReadOnlyDictionary<string, Array>
{
    private readonly Array[] values;

    /// <param name="values">One array per name of <paramref name="order"/>, in its order; kept, not copied.</param>
    public OrderedColumns(ColumnOrder order, Array[] values)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != order.Count) throw new ArgumentException($"{values.Length} arrays for {order.Count} columns", nameof(values));
        for (var i = 0; i < values.Length; i++)
            if (values[i] is null) throw new ArgumentException($"column '{order.Names[i]}' has no array", nameof(values));
        Order = order;
        this.values = values;
    }

    public ColumnOrder Order { get; }

    public int Count => values.Length;

    public IEnumerable<string> Keys => Order.Names;

    public IEnumerable<Array> Values => values;

    /// <summary>The column at <paramref name="position"/> of <see cref="Order"/>.</summary>
    public Array this[int position] => values[position];

    public Array this[string key] => TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"column '{key}' is not among these columns ({string.Join(", ", Order.Names)})");

    public bool ContainsKey(string key) => Order.IndexOf(key) >= 0;

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Array value)
    {
        var i = Order.IndexOf(key);
        value = i >= 0 ? values[i] : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, Array>> GetEnumerator()
    {
        for (var i = 0; i < values.Length; i++) yield return new(Order.Names[i], values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
