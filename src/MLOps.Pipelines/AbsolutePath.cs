namespace MLOps.Pipelines;

/// <summary>
/// A normalized absolute file-system path, composed with <c>/</c> as in Nuke:
/// <c>RootDirectory / "data" / "flights.parquet"</c>.
/// </summary>
public sealed class AbsolutePath : IEquatable<AbsolutePath>, IComparable<AbsolutePath>
{
    readonly string _path;

    AbsolutePath(string path) => _path = path;

    /// <summary>Creates a path from an absolute string; relative strings are rejected so a path never depends on the current directory by accident.</summary>
    public static AbsolutePath Create(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Path.IsPathFullyQualified(path))
            throw new ArgumentException($"'{path}' is not an absolute path.", nameof(path));
        return new AbsolutePath(Normalize(path));
    }

    public static AbsolutePath operator /(AbsolutePath left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Path.IsPathFullyQualified(right)
            ? Create(right)
            : new AbsolutePath(Normalize(Path.Combine(left._path, right)));
    }

    public static implicit operator string(AbsolutePath path) => path._path;

    public string Name => Path.GetFileName(_path);
    public string NameWithoutExtension => Path.GetFileNameWithoutExtension(_path);
    public string Extension => Path.GetExtension(_path);
    public AbsolutePath? Parent => Path.GetDirectoryName(_path) is { } parent ? new AbsolutePath(parent) : null;

    public bool FileExists() => File.Exists(_path);
    public bool DirectoryExists() => Directory.Exists(_path);
    public bool Exists() => FileExists() || DirectoryExists();

    /// <summary>Creates the directory (and its parents) when missing; returns the same path for chaining.</summary>
    public AbsolutePath CreateDirectory()
    {
        Directory.CreateDirectory(_path);
        return this;
    }

    /// <summary>The path relative to <paramref name="basePath"/>, with <c>/</c> separators (stable across platforms, as written to lock files).</summary>
    public string RelativeTo(AbsolutePath basePath) =>
        Path.GetRelativePath(basePath._path, _path).Replace('\\', '/');

    public bool IsUnder(AbsolutePath directory) =>
        _path.StartsWith(directory._path.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    public override string ToString() => _path;
    public bool Equals(AbsolutePath? other) => other is not null && string.Equals(_path, other._path, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is AbsolutePath other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_path);
    public int CompareTo(AbsolutePath? other) => string.CompareOrdinal(_path, other?._path);
    public static bool operator ==(AbsolutePath? left, AbsolutePath? right) => left?.Equals(right) ?? right is null;
    public static bool operator !=(AbsolutePath? left, AbsolutePath? right) => !(left == right);

    static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : full;
    }
}
