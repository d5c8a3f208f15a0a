namespace MLOps.Pipelines.ML.Data;

/// <summary>The logical type of a column, as a schema contract declares it and as typed Parquet stores it.</summary>
public enum ColumnType
{
    /// <summary>Text with a small set of values (Parquet UTF-8 string).</summary>
    Categorical,
    /// <summary>64-bit integer.</summary>
    Int64,
    /// <summary>64-bit floating point.</summary>
    Double,
    /// <summary>32-bit floating point: ML.NET's numeric feature type.</summary>
    Single,
    /// <summary>True/false.</summary>
    Bool,
    /// <summary>Wall-clock date and time (no time zone), microsecond precision on disk.</summary>
    Timestamp,
}
