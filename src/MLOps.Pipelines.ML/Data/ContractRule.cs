namespace MLOps.Pipelines.ML.Data;

/// <summary>Names of the rules a schema contract checks; they appear in exceptions, quarantine files and reports.</summary>
public static class ContractRule
{
    /// <summary>The file is neither Parquet nor CSV.</summary>
    public const string Format = "format";
    /// <summary>The file has no data rows.</summary>
    public const string EmptyFile = "empty-file";
    /// <summary>A declared column is absent.</summary>
    public const string MissingColumn = "missing-column";
    /// <summary>A value (or a whole column) is not of the declared type.</summary>
    public const string Type = "type";
    /// <summary>A missing value in a column declared not nullable.</summary>
    public const string Null = "null";
    /// <summary>A value outside the declared minimum/maximum.</summary>
    public const string Range = "range";
    /// <summary>A value outside the declared categories.</summary>
    public const string Category = "category";
    /// <summary>A CSV row with more or fewer fields than the header.</summary>
    public const string ColumnCount = "column-count";
    /// <summary>More rows broke the contract than the stage allows.</summary>
    public const string RejectedShare = "rejected-share";
}
