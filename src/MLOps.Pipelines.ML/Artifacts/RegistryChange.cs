namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>registry-change.txt</c>, Register's one-line account of what it did to the registry, written for people: e.g.
/// "flight-delays v7 registered: AUC 0.8531 (+0.0007), champion unchanged". CI uses it as the message of the commit that
/// carries <c>registry.json</c> back to the repository.
/// </summary>
public sealed record RegistryChange(string Summary)
{
    public const string FileName = "registry-change.txt";

    public static RegistryChange Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: run Register first.", path);
        var text = File.ReadAllText(path).TrimEnd('\n', '\r');
        if (text.Length == 0 || text.Contains('\n', StringComparison.Ordinal))
            throw new InvalidDataException($"{path} must hold exactly one non-empty line: delete it and run Register again.");
        return new RegistryChange(text);
    }

    public void Write(string path)
    {
        if (string.IsNullOrWhiteSpace(Summary) || Summary.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException($"A registry change is one non-empty line, not '{Summary}'.", nameof(Summary));
        AtomicFile.WriteAllText(Path.GetFullPath(path), Summary + "\n");
    }
}
