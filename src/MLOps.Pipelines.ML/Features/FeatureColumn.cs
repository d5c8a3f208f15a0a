using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Features;

/// <summary>
/// One prepared column, computed a chunk at a time from the typed (ingested) columns. Numeric features are float32
/// with NaN for missing (ML.NET's missing-value convention); a label computed as null drops the row.
/// </summary>
public sealed class FeatureColumn
{
    private FeatureColumn(string name, FeatureKind kind, Func<TableChunk, Array> compute)
    {
        Name = name;
        Kind = kind;
        Compute = compute;
    }

    public string Name { get; }

    public FeatureKind Kind { get; }

    internal Func<TableChunk, Array> Compute { get; }

    public static FeatureColumn Numeric(string name, Func<TableChunk, float[]> compute) => new(name, FeatureKind.Numeric, compute);

    /// <summary>A numeric (int64, double, float, bool) source column as float32, missing → NaN.</summary>
    public static FeatureColumn Numeric(string name, string? source = null) =>
        Numeric(name, chunk => chunk.Floats(source ?? name));

    public static FeatureColumn Categorical(string name, Func<TableChunk, string?[]> compute) => new(name, FeatureKind.Categorical, compute);

    /// <summary>A categorical source column as is (missing stays null).</summary>
    public static FeatureColumn Categorical(string name, string? source = null) =>
        Categorical(name, chunk => chunk.Strings(source ?? name));

    public static FeatureColumn Label(string name, Func<TableChunk, bool?[]> compute) => new(name, FeatureKind.Label, compute);

    /// <summary>The class of a multiclass task, as a string (null drops the row).</summary>
    public static FeatureColumn ClassLabel(string name, Func<TableChunk, string?[]> compute) => new(name, FeatureKind.ClassLabel, compute);

    /// <summary>A categorical source column as the class of a multiclass task.</summary>
    public static FeatureColumn ClassLabel(string name, string? source) => ClassLabel(name, chunk => chunk.Strings(source ?? name));

    /// <summary>Month 1–12 of a timestamp column.</summary>
    public static FeatureColumn Month(string name, string timestamp) => FromTime(name, timestamp, t => t.Month);

    /// <summary>Day of the month 1–31 of a timestamp column.</summary>
    public static FeatureColumn DayOfMonth(string name, string timestamp) => FromTime(name, timestamp, t => t.Day);

    /// <summary>Day of the week 0 (Sunday) – 6 (Saturday) of a timestamp column.</summary>
    public static FeatureColumn DayOfWeek(string name, string timestamp) => FromTime(name, timestamp, t => (int)t.DayOfWeek);

    /// <summary>Hour 0–23 of a timestamp column.</summary>
    public static FeatureColumn Hour(string name, string timestamp) => FromTime(name, timestamp, t => t.Hour);

    private static FeatureColumn FromTime(string name, string timestamp, Func<DateTime, int> part) =>
        Numeric(name, chunk => Array.ConvertAll(chunk.Timestamps(timestamp), t => t is { } v ? part(v) : float.NaN));
}
