namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Where a fixed list of column names is in the <see cref="ColumnOrder"/> of the batches a caller receives, resolved on
/// the first batch of an order and kept (a model server gets every request's columns in the same order). Safe to share
/// between threads: a resolution is replaced whole.
/// </summary>
public sealed class ColumnPositions
{
    private readonly string[] names;
    private Resolution? last;

    public ColumnPositions(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        this.names = [.. names];
    }

    /// <summary>The position in <paramref name="order"/> of each name, in the names' order; null when a name is not there.</summary>
    public int[]? In(ColumnOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var known = last;
        if (known is not null && ReferenceEquals(known.Order, order)) return known.Positions;
        var positions = Array.ConvertAll(names, order.IndexOf);
        if (Array.IndexOf(positions, -1) >= 0) return null;
        last = new Resolution(order, positions);
        return positions;
    }

    /// <summary>
    /// The names' columns of <paramref name="columns"/>, the i-th name's at [i]: by position when they come in an order
    /// that has every name (<see cref="OrderedColumns"/>), else by name (a missing one throws, naming it).
    /// </summary>
    public Picked Of(IReadOnlyDictionary<string, Array> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var ordered = columns as OrderedColumns;
        return new Picked(columns, ordered, ordered is null ? null : In(ordered.Order), names);
    }

    /// <summary>The columns <see cref="Of"/> picked.</summary>
    public readonly struct Picked
    {
        private readonly IReadOnlyDictionary<string, Array> columns;
        private readonly OrderedColumns? ordered;
        private readonly int[]? positions;
        private readonly string[] names;

        internal Picked(IReadOnlyDictionary<string, Array> columns, OrderedColumns? ordered, int[]? positions, string[] names) =>
            (this.columns, this.ordered, this.positions, this.names) = (columns, ordered, positions, names);

        public Array this[int i] => positions is null ? columns[names[i]] : ordered![positions[i]];
    }

    private sealed record Resolution(ColumnOrder Order, int[] Positions);
}
