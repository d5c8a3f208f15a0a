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
