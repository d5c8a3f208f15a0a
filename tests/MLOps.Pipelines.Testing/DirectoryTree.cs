namespace MLOps.Pipelines.Testing;

/// <summary>Copies of folder trees, as tests lay out repositories and CI job folders.</summary>
public static class DirectoryTree
{
    /// <summary>
    /// Copies every file below <paramref name="from"/> to the same relative path below <paramref name="to"/>, creating
    /// folders as needed; <paramref name="include"/> sees each file's path relative to <paramref name="from"/>.
    /// </summary>
    public static void Copy(string from, string to, Func<string, bool>? include = null)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (include is not null && !include(relative)) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Leaves out build outputs: any path with a <c>bin</c> or <c>obj</c> folder.</summary>
    public static bool NoBuildOutputs(string relative) =>
        !relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
