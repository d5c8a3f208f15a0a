namespace MLOps.Pipelines.ML.Governance;

/// <summary>
/// Writes the card of one registered version as <c>&lt;model&gt;-v&lt;N&gt;.md</c> and <c>.html</c>, each atomically, so a
/// failure (a missing artifact) leaves the previous card as it was.
/// </summary>
public static class ModelCardStage
{
    public static ModelCardFiles Run(ModelCardInputs inputs, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var card = ModelCardBuilder.Build(inputs);
        var directory = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(directory);
        var name = $"{inputs.Registry.ModelName}-v{inputs.Version}";
        var files = new ModelCardFiles(Path.Combine(directory, name + ".md"), Path.Combine(directory, name + ".html"));
        AtomicFile.WriteAllText(files.Markdown, ModelCardMarkdown.Render(card));
        AtomicFile.WriteAllText(files.Html, ModelCardHtml.Render(card));
        return files;
    }
}
