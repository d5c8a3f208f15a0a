using MLOps.Pipelines.ML.Reports;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>
/// A registered model version's card as plain content — title, facts, sections of paragraphs and tables — so the
/// Markdown and the HTML renderings show exactly the same things.
/// </summary>
public sealed record ModelCard(string Title, IReadOnlyList<KeyValuePair<string, string>> Facts, IReadOnlyList<ModelCardSection> Sections)
{
    public ModelCardSection this[string title] => Sections.First(s => s.Title == title);
}
