namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>One file with its size and XXH3-128 hash; <see cref="Path"/> is relative to the repository root, with '/'.</summary>
internal sealed record ManifestFile(string Path, long Size, string Hash);

/// <summary>The expanded inputs of a target: entries sorted by path, and the files of every tree entry.</summary>
internal sealed record InputManifest(IReadOnlyList<ManifestEntry> Entries, IReadOnlyDictionary<string, IReadOnlyList<ManifestFile>> Trees)
{
    public static readonly InputManifest Empty = new([], new Dictionary<string, IReadOnlyList<ManifestFile>>());
}

/// <summary>The hash that names a tree: XXH3-128 over its files' sorted (path, size, hash) lines.</summary>
internal static class TreeHash
{
    public static string Compute(IEnumerable<ManifestFile> files)
    {
        var text = new System.Text.StringBuilder("mlops-tree/1\n");
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
            text.Append(file.Path).Append('\0').Append(file.Size).Append('\0').Append(file.Hash).Append('\n');
        return ContentHash.Xxh3(System.Text.Encoding.UTF8.GetBytes(text.ToString()));
    }

    public static ManifestEntry Entry(string path, IReadOnlyList<ManifestFile> files) =>
        new(path, files.Sum(f => f.Size), Compute(files), files.Count);
}
