namespace MLOps.Pipelines.Containers.Naming;

/// <summary>
/// Builds a path from a root and relative parts and proves it stays inside the root: no part may be empty, absolute,
/// '.', '..', or hold a separator or NUL, and the resolved full path must lie below the root's full path.
/// </summary>
public static class ContainedPath
{
    public static string Resolve(string root, params string?[] parts)
    {
        if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The root folder is empty; name the folder the paths must stay in.", nameof(root));
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var path = fullRoot;
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part) || part is "." or ".." || Path.IsPathRooted(part) || part.IndexOfAny(['/', '\\', '\0']) >= 0)
                throw new ArgumentException($"'{part ?? "null"}' is not a usable name inside {fullRoot}: it must be one non-empty folder or file name without '/', '\\' or '..'.", nameof(parts));
            path = Path.Combine(path, part);
        }
        var full = Path.GetFullPath(path);
        if (!IsInside(fullRoot, full))
            throw new ArgumentException($"'{string.Join('/', parts)}' resolves to {full}, outside {fullRoot}; refusing it.", nameof(parts));
        return full;
    }

    /// <summary>True when <paramref name="path"/> (a full path) is <paramref name="root"/> itself or lies below it.</summary>
    public static bool IsInside(string root, string path)
    {
        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(path);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return full.Equals(fullRoot, comparison) || full.StartsWith(fullRoot + Path.DirectorySeparatorChar, comparison);
    }
}
