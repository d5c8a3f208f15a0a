using System.Globalization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// What one column must hold: its type, whether it may be missing, and its allowed range or categories.
/// Build with the factories (<see cref="Int64"/>, <see cref="Categorical"/>, ...) and <c>with { Nullable = true }</c>.
/// </summary>
public sealed record ColumnContract(string Name, ColumnType Type)
{
    /// <summary>Whether a missing value is allowed (CSV: an empty field or a missing token such as NA).</summary>
    public bool Nullable { get; init; }

    /// <summary>Inclusive lower bound for numeric columns.</summary>
    public double? Min { get; init; }

    /// <summary>Inclusive upper bound for numeric columns.</summary>
    public double? Max { get; init; }

    /// <summary>Inclusive lower bound for timestamp columns.</summary>
    public DateTime? Earliest { get; init; }

    /// <summary>Inclusive upper bound for timestamp columns.</summary>
    public DateTime? Latest { get; init; }

    /// <summary>The allowed values of a categorical column (ordinal comparison); null allows any text.</summary>
    public IReadOnlySet<string>? Categories { get; init; }

    public static ColumnContract Int64(string name, double? min = null, double? max = null) =>
        new(name, ColumnType.Int64) { Min = min, Max = max };

    public static ColumnContract Double(string name, double? min = null, double? max = null) =>
        new(name, ColumnType.Double) { Min = min, Max = max };

    public static ColumnContract Bool(string name) => new(name, ColumnType.Bool);

    public static ColumnContract Timestamp(string name, DateTime? earliest = null, DateTime? latest = null) =>
        new(name, ColumnType.Timestamp) { Earliest = earliest, Latest = latest };

    public static ColumnContract Categorical(string name, params IEnumerable<string> categories)
    {
        var set = new HashSet<string>(categories, StringComparer.Ordinal);
        return new(name, ColumnType.Categorical) { Categories = set.Count == 0 ? null : set };
    }

    internal ContractViolation? CheckMissing() =>
        Nullable ? null : new ContractViolation(Name, ContractRule.Null, null, $"missing value in column '{Name}', which is declared not nullable");

    internal ContractViolation? CheckNumber(double value)
    {
        if (Min is { } min && value < min)
            return new ContractViolation(Name, ContractRule.Range, Format(value), $"{Format(value)} is below the minimum {Format(min)}");
        if (Max is { } max && value > max)
            return new ContractViolation(Name, ContractRule.Range, Format(value), $"{Format(value)} is above the maximum {Format(max)}");
        return null;
    }

    internal ContractViolation? CheckTimestamp(DateTime value)
    {
        if (Earliest is { } earliest && value < earliest)
            return new ContractViolation(Name, ContractRule.Range, Format(value), $"{Format(value)} is before the earliest {Format(earliest)}");
        if (Latest is { } latest && value > latest)
            return new ContractViolation(Name, ContractRule.Range, Format(value), $"{Format(value)} is after the latest {Format(latest)}");
        return null;
    }

    internal ContractViolation? CheckCategory(string value)
    {
        if (Categories is null || Categories.Contains(value)) return null;
        return new ContractViolation(Name, ContractRule.Category, value,
            $"'{value}' is not one of the {Categories.Count} declared categories of '{Name}'");
    }

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static string Format(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture);
}
