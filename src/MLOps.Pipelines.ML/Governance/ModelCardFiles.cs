namespace MLOps.Pipelines.ML.Governance;

/// <summary>The card's files: Markdown for review, HTML for reading.</summary>
public sealed record ModelCardFiles(string Markdown, string Html);
