
namespace MLOps.Pipelines.ML.Reports;

/// <summary>A PNG image on disk; the report embeds its bytes.</summary>
public sealed record ReportImage(string Caption, string PngPath);
