
namespace MLOps.Pipelines.ML.Reports;

/// <summary>A table of text cells; every row has one cell per column.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);
