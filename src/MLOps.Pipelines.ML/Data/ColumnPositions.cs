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

    private sealed record Resolution(ColumnOrder Order, int[] Positions);
}
