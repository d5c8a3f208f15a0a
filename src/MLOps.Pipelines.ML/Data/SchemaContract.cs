using System.Globalization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// The declared, typed shape of a data set: its columns (type, nullability, range, categories) and, optionally,
/// which column is the label. Ingest checks every row against it; scoring and monitoring reuse <see cref="Validate"/>
/// to catch, e.g., an airport the model has never seen.
/// </summary>
public sealed record SchemaContract(string Name, IReadOnlyList<ColumnContract> Columns)
{
    /// <summary>The label column, if the data set has one; <see cref="Validate"/> tolerates its absence (scoring).</summary>
    public string? Label { get; init; }

    /// <summary>CSV text that means "missing" (compared exactly, after unquoting).</summary>
    public IReadOnlyList<string> MissingTokens { get; init; } = ["", "NA"];

    public ColumnContract this[string column] =>
        Columns.FirstOrDefault(c => c.Name == column)
        ?? throw new KeyNotFoundException($"contract '{Name}' declares no column '{column}'");

    /// <summary>
    /// Checks one row given as column → value (typed values, or text as in a CSV file). Returns every broken rule;
    /// an empty list means the row fits the contract. The label may be absent (a row to score).
    /// </summary>
    public IReadOnlyList<ContractViolation> Validate(IReadOnlyDictionary<string, object?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var violations = new List<ContractViolation>();
        foreach (var column in Columns)
        {
            if (!row.TryGetValue(column.Name, out var value))
            {
                if (column.Name != Label)
                    violations.Add(new ContractViolation(column.Name, ContractRule.MissingColumn, null, $"the row has no column '{column.Name}'"));
                continue;
            }
            if (CheckValue(column, value) is { } violation) violations.Add(violation);
        }
        return violations;
    }

    internal bool IsMissingToken(ReadOnlySpan<char> text)
    {
        foreach (var token in MissingTokens)
            if (text.SequenceEqual(token)) return true;
        return false;
    }

    /// <summary>Checks the rules that need only the typed value (null, range, category) for every row of a chunk.</summary>
    internal void ValidateChunk(TableChunk chunk, Action<int, ContractViolation> report)
    {
        foreach (var column in Columns)
        {
            switch (column.Type)
            {
                case ColumnType.Categorical:
                    var strings = chunk.Strings(column.Name);
                    for (var i = 0; i < strings.Length; i++)
                        if ((strings[i] is { } s ? column.CheckCategory(s) : column.CheckMissing()) is { } v) report(i, v);
                    break;
                case ColumnType.Int64:
                    var longs = chunk.Int64s(column.Name);
                    for (var i = 0; i < longs.Length; i++)
                        if ((longs[i] is { } l ? column.CheckNumber(l) : column.CheckMissing()) is { } v) report(i, v);
                    break;
                case ColumnType.Double:
                    var doubles = chunk.Doubles(column.Name);
                    for (var i = 0; i < doubles.Length; i++)
                        if ((doubles[i] is { } d && !double.IsNaN(d) ? column.CheckNumber(d) : column.CheckMissing()) is { } v) report(i, v);
                    break;
                case ColumnType.Single:
                    var singles = chunk.Singles(column.Name);
                    for (var i = 0; i < singles.Length; i++)
                        if ((singles[i] is { } f && !float.IsNaN(f) ? column.CheckNumber(f) : column.CheckMissing()) is { } v) report(i, v);
                    break;
                case ColumnType.Bool:
                    var bools = chunk.Bools(column.Name);
                    for (var i = 0; i < bools.Length; i++)
                        if (bools[i] is null && column.CheckMissing() is { } v) report(i, v);
                    break;
                case ColumnType.Timestamp:
                    var times = chunk.Timestamps(column.Name);
                    for (var i = 0; i < times.Length; i++)
                        if ((times[i] is { } t ? column.CheckTimestamp(t) : column.CheckMissing()) is { } v) report(i, v);
                    break;
            }
        }
    }

    private ContractViolation? CheckValue(ColumnContract column, object? value)
    {
        if (value is string text)
        {
            if (IsMissingToken(text)) return column.CheckMissing();
            return column.Type switch
            {
                ColumnType.Categorical => column.CheckCategory(text),
                ColumnType.Int64 => TextValues.TryInt64(text, out var l) ? column.CheckNumber(l) : TypeViolation(column, text),
                ColumnType.Double or ColumnType.Single => TextValues.TryDouble(text, out var d)
                    ? double.IsNaN(d) ? column.CheckMissing() : column.CheckNumber(d)
                    : TypeViolation(column, text),
                ColumnType.Bool => TextValues.TryBool(text, out _) ? null : TypeViolation(column, text),
                ColumnType.Timestamp => TextValues.TryTimestamp(text, out var t) ? column.CheckTimestamp(t) : TypeViolation(column, text),
                _ => null,
            };
        }
        return (column.Type, value) switch
        {
            (_, null) => column.CheckMissing(),
            (ColumnType.Int64, long or int or short or byte or sbyte or ushort or uint) => column.CheckNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            (ColumnType.Double or ColumnType.Single, double d) => double.IsNaN(d) ? column.CheckMissing() : column.CheckNumber(d),
            (ColumnType.Double or ColumnType.Single, float f) => float.IsNaN(f) ? column.CheckMissing() : column.CheckNumber(f),
            (ColumnType.Double or ColumnType.Single, long or int or short or byte) => column.CheckNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            (ColumnType.Bool, bool) => null,
            (ColumnType.Timestamp, DateTime t) => column.CheckTimestamp(t),
            _ => TypeViolation(column, Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    internal static ContractViolation TypeViolation(ColumnContract column, string? text) =>
        new(column.Name, ContractRule.Type, text, $"'{text}' is not a valid {TextValues.TypeName(column.Type)} value");
}
