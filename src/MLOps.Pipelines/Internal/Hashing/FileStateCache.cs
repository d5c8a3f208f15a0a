using System.Collections.Concurrent;
using System.Text;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>
/// The per-machine record (path, identity) → hash that spares rehashing unchanged files (DVC rehashes big directories
/// on every status; we stat them). One binary file, loaded once, written atomically on <see cref="Save"/>; on save the
/// file on disk is merged in, so two processes keep each other's entries (last writer wins per path — entries are only
/// a cache). Also keeps the per-file lists of tree inputs (<c>trees/</c>) to explain which files of a directory changed.
/// </summary>
internal sealed class FileStateCache
{
    const string Magic = "mlops-state/2";
    // A file modified within this window of being hashed could change again without its mtime moving (coarse
    // timestamps): such an entry is trusted only once the window has passed ("racy git").
    internal const long RacyWindowNs = 2_000_000_000;

    // A class, not a struct: dictionaries of reference types run the runtime's precompiled shared code instead of being JIT-compiled at start-up.
    sealed record Entry(FileIdentity Identity, long HashedAtNs, string Hash);

    readonly string _directory;
    readonly string _file;
    readonly ConcurrentDictionary<string, Entry> _entries;
    readonly ConcurrentDictionary<string, bool> _removed = new(StringComparer.Ordinal);
    int _dirty;
    long _hashed;

    readonly StateFiles _files;

    FileStateCache(string directory, ConcurrentDictionary<string, Entry> entries, StateFiles files)
    {
        _directory = directory;
        _file = Path.Combine(directory, "files.bin");
        _entries = entries;
        _files = files;
    }

    /// <summary>Reads, writes and discards this machine's cache files, warning once per damaged file.</summary>
    internal StateFiles Files => _files;

    /// <summary>How many files this instance actually read to hash (a state hit reads nothing).</summary>
    public long HashedFileCount => Interlocked.Read(ref _hashed);

    public static FileStateCache Load(string stateDirectory, Action<string>? warn = null)
    {
        var files = new StateFiles(warn);
        return new(stateDirectory, new ConcurrentDictionary<string, Entry>(ReadFile(Path.Combine(stateDirectory, "files.bin"), files), StringComparer.Ordinal), files);
    }

    /// <summary>The XXH3-128 of the file, from state when its identity is unchanged, otherwise read and recorded.</summary>
    public ManifestFile Hash(string fullPath, string relativePath)
    {
        var identity = FileStatus.TryGet(fullPath)
            ?? throw new FileNotFoundException($"'{fullPath}' does not exist.", fullPath);
        if (_entries.TryGetValue(fullPath, out var entry) && entry.Identity == identity
            && identity.MTimeNs < entry.HashedAtNs - RacyWindowNs)
            return new ManifestFile(relativePath, identity.Size, entry.Hash);

        var hashedAt = FileStatus.NowNs();
        var hash = ContentHash.Xxh3File(fullPath);
        Interlocked.Increment(ref _hashed);
        // Record the identity seen before reading: if the file changed while we read it, the next stat differs.
        Remember(fullPath, identity, hashedAt, hash);
        return new ManifestFile(relativePath, identity.Size, hash);
    }

    /// <summary>The folder holding the state (directory manifests live under it).</summary>
    public string StateDirectory => _directory;

    /// <summary>The recorded hash of a file whose identity is as given, when that record can be trusted; otherwise null.</summary>
    public string? TryGetKnown(string fullPath, FileIdentity identity) =>
        _entries.TryGetValue(fullPath, out var entry) && entry.Identity == identity && identity.MTimeNs < entry.HashedAtNs - RacyWindowNs
            ? entry.Hash
            : null;

    /// <summary>Reads and hashes a file, counting it in <see cref="HashedFileCount"/>.</summary>
    public string HashContent(string fullPath)
    {
        Interlocked.Increment(ref _hashed);
        return ContentHash.Xxh3File(fullPath);
    }

    /// <summary>Hashes many files in parallel (bounded by the cores); the result keeps the order of the input.</summary>
    public IReadOnlyList<ManifestFile> HashAll(IReadOnlyList<(string FullPath, string RelativePath)> files)
    {
        var result = new ManifestFile[files.Count];
        if (files.Count < 4)
        {
            for (var i = 0; i < files.Count; i++)
                result[i] = Hash(files[i].FullPath, files[i].RelativePath);
            return result;
        }
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => result[i] = Hash(files[i].FullPath, files[i].RelativePath));
        return result;
    }

    /// <summary>Records a hash already known (a file just restored and verified, or hashed at commit).</summary>
    public void Record(string fullPath, string hash, long hashedAtNs)
    {
        if (FileStatus.TryGet(fullPath) is { } identity)
            Remember(fullPath, identity, hashedAtNs, hash);
    }

    public void Forget(string fullPath)
    {
        if (_entries.TryRemove(fullPath, out _))
        {
            _removed[fullPath] = true;
            Interlocked.Exchange(ref _dirty, 1);
        }
    }

    void Remember(string fullPath, FileIdentity identity, long hashedAtNs, string hash)
    {
        _entries[fullPath] = new Entry(identity, hashedAtNs, hash);
        _removed.TryRemove(fullPath, out _);
        Interlocked.Exchange(ref _dirty, 1);
    }

    /// <summary>Keeps the per-file list of a tree, by tree hash, for explanations; written once per distinct tree.</summary>
    public void RememberTree(string treeHash, IReadOnlyList<ManifestFile> files)
    {
        if (!ContentHash.IsHex(treeHash, 32))
            return;
        var path = Path.Combine(_directory, "trees", treeHash);
        if (File.Exists(path))
            return;
        var text = new StringBuilder();
        foreach (var file in files)
            text.Append(file.Size).Append('\t').Append(file.Hash).Append('\t').Append(file.Path).Append('\n');
        _files.TryWrite(path, stream => stream.Write(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The file list of a tree the lock file names; null when unknown or damaged (only explanations use it).</summary>
    public IReadOnlyList<ManifestFile>? TryGetTree(string treeHash)
    {
        // The hash comes from the lock file, which anyone can edit: it names a file only when it is a hash.
        if (!ContentHash.IsHex(treeHash, 32))
            return null;
        var path = Path.Combine(_directory, "trees", treeHash);
        if (_files.TryRead(path, 256 << 20) is not { } bytes)
            return null;
        var files = new List<ManifestFile>();
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 3);
            if (parts.Length != 3 || !long.TryParse(parts[0], out var size))
            {
                _files.Discard(path, "is malformed");
                return null;
            }
            files.Add(new ManifestFile(parts[2], size, parts[1]));
        }
        return files;
    }

    /// <summary>Writes the state atomically, merged with whatever another process wrote since we loaded.</summary>
    public void Save()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 0)
            return;
        var merged = ReadFile(_file, _files);
        foreach (var removed in _removed.Keys)
            merged.Remove(removed);
        foreach (var (path, entry) in _entries)
            merged[path] = entry;

        _files.TryWrite(_file, stream =>
        {
            var body = new MemoryStream();
            using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(merged.Count);
                foreach (var (path, entry) in merged)
                {
                    writer.Write(path);
                    writer.Write(entry.Identity.Size);
                    writer.Write(entry.Identity.MTimeNs);
                    writer.Write(entry.Identity.CTimeNs);
                    writer.Write(entry.Identity.Inode);
                    writer.Write(entry.Identity.Device);
                    writer.Write(entry.HashedAtNs);
                    writer.Write(entry.Hash);
                }
            }
            StateFiles.WriteChecked(stream, body);
        });
    }

    static Dictionary<string, Entry> ReadFile(string file, StateFiles files)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (files.TryReadChecked(file, "mlops-state/1") is not { } body)
            return entries;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body), Encoding.UTF8);
            if (reader.ReadString() != Magic)
                return entries; // another format version: replaced on the next save
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var path = reader.ReadString();
                var identity = new FileIdentity(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadUInt64(), reader.ReadUInt64());
                entries[path] = new Entry(identity, reader.ReadInt64(), reader.ReadString());
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or OverflowException or ArgumentException)
        {
            // The state is only a cache: an unreadable file costs one rehash, never an error.
            entries.Clear();
            files.Discard(file, $"is damaged ({e.Message})");
        }
        return entries;
    }
}
