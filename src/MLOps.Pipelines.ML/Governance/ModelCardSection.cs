using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>One section of a card; a section with nothing recorded says so in a paragraph rather than disappearing.</summary>
public sealed record ModelCardSection(string Title, IReadOnlyList<string> Paragraphs, IReadOnlyList<ReportTable> Tables);
