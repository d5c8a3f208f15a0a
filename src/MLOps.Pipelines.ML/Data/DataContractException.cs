namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// A data file breaks its schema contract so badly that the stage must stop: the message names the file, the row
/// (1-based data row, when one row is to blame), the column and the rule, and says how to fix it.
/// </summary>
public sealed class DataContractException : Exception
{
    public DataContractException(string file, long? row, string? column, string rule, string detail, Exception? inner = null)
        : base(Compose(file, row, column, rule, detail), inner)
    {
        File = file;
        Row = row;
        Column = column;
        Rule = rule;
    }

    public string File { get; }

    /// <summary>1-based data row (the header is not counted), or null when the problem is not in one row.</summary>
    public long? Row { get; }

    public string? Column { get; }

    public string Rule { get; }

    private static string Compose(string file, long? row, string? column, string rule, string detail)
    {
        var where = file;
        if (row is not null) where += $", row {row}";
        if (column is not null) where += $", column '{column}'";
        return $"{where}: rule '{rule}': {detail}";
    }
}
