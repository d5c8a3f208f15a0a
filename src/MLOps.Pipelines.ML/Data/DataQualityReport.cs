using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>What Ingest found in a raw file: row counts, rejected share, duplicates and per-column statistics of the accepted rows.</summary>
public sealed record DataQualityReport(
    string File,
    TabularFormat Format,
    string Contract,
    long RowsRead,
    long RowsAccepted,
    long RowsRejected,
    double RejectedFraction,
    long DuplicateRows,
    IReadOnlyDictionary<string, long> ViolationsByRule,
    IReadOnlyList<ColumnQuality> Columns)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static DataQualityReport Read(string path) =>
        JsonSerializer.Deserialize<DataQualityReport>(System.IO.File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path}: not a data quality report");

    public void Write(string path) => System.IO.File.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    public ColumnQuality this[string column] => Columns.First(c => c.Name == column);
}

/// <summary>
/// Statistics of one column over the accepted rows. Numeric columns fill Min/Max/Mean, timestamps Earliest/Latest,
/// categorical and bool columns Distinct and TopCategories (most frequent first, ties by value).
/// <see cref="Violations"/> counts broken rules in this column over all rows read.
/// </summary>
public sealed record ColumnQuality(
    string Name,
    ColumnType Type,
    long Nulls,
    long Violations,
    double? Min = null,
    double? Max = null,
    double? Mean = null,
    DateTime? Earliest = null,
    DateTime? Latest = null,
    long? Distinct = null,
    bool? DistinctTruncated = null,
    IReadOnlyList<CategoryCount>? TopCategories = null);

public sealed record CategoryCount(string Value, long Count);
