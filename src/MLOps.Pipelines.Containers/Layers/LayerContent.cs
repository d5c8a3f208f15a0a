namespace MLOps.Pipelines.Containers.Layers;

/// <summary>
/// The files of one layer, collected by image path. Parent directories are added implicitly, modes are normalised
/// (0755 for directories and executables, 0644 otherwise) and everything is owned by root unless said otherwise, so the
/// layer depends on the files' bytes and names only — never on the host's umask, owner or clock.
/// </summary>
public sealed class LayerContent
{
    const UnixFileMode Directory755 = (UnixFileMode)0b111_101_101;
    const UnixFileMode Executable755 = (UnixFileMode)0b111_101_101;
    const UnixFileMode Regular644 = (UnixFileMode)0b110_100_100;

    readonly SortedDictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);

    public LayerContent(string description) => Description = description;

    /// <summary>What the layer holds, for the image history (e.g. "model flight-delays v3").</summary>
    public string Description { get; }

    public IReadOnlyCollection<LayerEntry> Entries => _entries.Values;

    /// <summary>Adds every file under <paramref name="directory"/> below <paramref name="imageDirectory"/> (e.g. <c>app</c>).</summary>
    public LayerContent AddDirectory(string directory, string imageDirectory, int uid = 0, int gid = 0)
    {
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException($"{root} does not exist: nothing to put into the layer '{Description}'.");
        AddDirectoryEntry(imageDirectory, uid, gid);
        foreach (var dir in System.IO.Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
            AddDirectoryEntry(Combine(imageDirectory, Path.GetRelativePath(root, dir)), uid, gid);
        foreach (var file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null) throw new InvalidDataException($"{file} is a symbolic link; the image writer copies regular files only.");
            AddFile(file, Combine(imageDirectory, Path.GetRelativePath(root, file)), IsExecutable(file), uid, gid);
        }
        return this;
    }

    public LayerContent AddFile(string sourceFile, string pathInImage, bool executable, int uid = 0, int gid = 0)
    {
        var path = Normalize(pathInImage);
        AddParents(path);
        _entries[path] = new LayerEntry(path, executable ? Executable755 : Regular644, uid, gid, Path.GetFullPath(sourceFile), null);
        return this;
    }

    public LayerContent AddBytes(byte[] content, string pathInImage, UnixFileMode mode = Regular644, int uid = 0, int gid = 0)
    {
        var path = Normalize(pathInImage);
        AddParents(path);
        _entries[path] = new LayerEntry(path, mode, uid, gid, null, content);
        return this;
    }

    public LayerContent AddDirectoryEntry(string pathInImage, int uid = 0, int gid = 0, UnixFileMode mode = Directory755)
    {
        var path = Normalize(pathInImage);
        AddParents(path);
        _entries[path] = new LayerEntry(path, mode, uid, gid, null, null);
        return this;
    }

    void AddParents(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            if (!_entries.ContainsKey(parent)) _entries[parent] = new LayerEntry(parent, Directory755, 0, 0, null, null);
        }
    }

    static string Combine(string imageDirectory, string relative) =>
        relative == "." ? imageDirectory : imageDirectory.TrimEnd('/') + "/" + relative.Replace('\\', '/');

    static string Normalize(string pathInImage)
    {
        var path = pathInImage.Replace('\\', '/').Trim('/');
        if (path.Length == 0 || path.Split('/').Any(s => s is "" or "." or "..") || path.Contains('\0'))
            throw new ArgumentException($"'{pathInImage}' is not a usable path inside an image: use a relative path without '.', '..' or empty parts.", nameof(pathInImage));
        return path;
    }

    static bool IsExecutable(string file) =>
        OperatingSystem.IsWindows() ? file.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
        : (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
