using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Store;

/// <summary>What a prune removed and kept.</summary>
internal sealed record PruneResult(int BlobsDeleted, long BytesFreed, int ActionsDeleted, int BlobsKept, long BytesKept);

/// <summary>
/// The local content-addressed store <c>.nuke/cache</c>: <c>cas/&lt;aa&gt;/&lt;sha256&gt;</c> holds every output file by the
/// SHA-256 of its content (the same names as the remote cache, so pushing needs no rehash and a restore can verify);
/// <c>ac/&lt;fingerprint&gt;.json</c> maps a fingerprint to its <see cref="ActionRecord"/>. Every write goes to a temporary
/// file and is renamed into place, so concurrent puts of the same blob are harmless. A blob's mtime is its last use.
/// </summary>
internal sealed class ContentStore(string directory, Action<string>? warn = null)
{
    /// <summary>An action record is a few kilobytes; anything far larger is not one of ours.</summary>
    internal const long MaxActionRecordBytes = 16 << 20;

    readonly Action<string> _warn = warn ?? (_ => { });

    public string Directory { get; } = directory;
    string Cas => Path.Combine(Directory, "cas");
    string Ac => Path.Combine(Directory, "ac");

    public string BlobPath(string sha256) => Path.Combine(Cas, sha256[..2], sha256);
    public bool HasBlob(string sha256) => File.Exists(BlobPath(sha256));

    /// <summary>
    /// Copies a file into the store under its (already computed) SHA-256, unless an intact-looking blob is already there.
    /// A blob of the wrong size, or anything else in its place (a folder), is damaged: replaced, with a warning.
    /// </summary>
    public void PutFile(string source, string sha256)
    {
        var blob = BlobPath(sha256);
        if (File.Exists(blob))
        {
            if (new FileInfo(blob).Length == new FileInfo(source).Length)
            {
                Touch(blob);
                return;
            }
            _warn($"content store blob {blob} has the wrong size; replaced by the output just built.");
        }
        else if (System.IO.Directory.Exists(blob))
        {
            _warn($"content store blob {blob} is a folder, not a file; replaced by the output just built.");
            System.IO.Directory.Delete(blob, recursive: true);
        }
        var temp = AtomicFile.TempNameBeside(blob);
        try
        {
            File.Copy(source, temp); // copy_file_range / reflink where the file system offers it
            File.Move(temp, blob, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temp);
            throw;
        }
    }

    /// <summary>Moves a downloaded file whose SHA-256 was already verified into the store.</summary>
    public void Import(string verifiedTemp, string sha256)
    {
        var blob = BlobPath(sha256);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.Move(verifiedTemp, blob, overwrite: true);
    }

    public void DeleteBlob(string sha256)
    {
        var blob = BlobPath(sha256);
        try
        {
            if (System.IO.Directory.Exists(blob))
                System.IO.Directory.Delete(blob, recursive: true);
            else
                File.Delete(blob);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>True when the blob is a regular file whose content hashes to its name (read in full: use before sharing it).</summary>
    public bool IsIntact(string sha256)
    {
        var blob = BlobPath(sha256);
        try
        {
            var info = new FileInfo(blob);
            return info.Exists && info.LinkTarget is null && ContentHash.Sha256File(blob) == sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The local action record of a fingerprint; a damaged one (unreadable, malformed, a folder) is deleted with one warning.</summary>
    public ActionRecord? TryGetAction(string fingerprint)
    {
        var path = Path.Combine(Ac, fingerprint + ".json");
        if (System.IO.Directory.Exists(path))
            return Discard(path, "is a folder, not a file");
        if (!File.Exists(path))
            return null;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxActionRecordBytes)
                return Discard(path, $"is {info.Length} bytes, too large for an action record");
            return ActionRecord.TryParse(File.ReadAllBytes(path), fingerprint) ?? Discard(path, "is malformed");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Discard(path, $"could not be read ({e.Message})");
        }
    }

    ActionRecord? Discard(string path, string why)
    {
        _warn($"content store action record {path} {why}; discarded, the target runs or restores from elsewhere.");
        try
        {
            if (System.IO.Directory.Exists(path))
                System.IO.Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    public void PutAction(ActionRecord record)
    {
        var path = Path.Combine(Ac, record.Fingerprint + ".json");
        if (System.IO.Directory.Exists(path))
            System.IO.Directory.Delete(path, recursive: true);
        AtomicFile.WriteAllBytes(path, record.ToJson());
    }

    /// <summary>True when the action is recorded and every blob it needs is present.</summary>
    public bool CanRestore(ActionRecord record) => record.Files.All(f => HasBlob(f.Sha256));

    /// <summary>
    /// Deletes blobs unused for longer than <paramref name="maxAge"/>, then the least recently used ones until the
    /// store holds at most <paramref name="maxBytes"/>; blobs of actions whose fingerprint the lock file records are
    /// always kept. Action entries that lost a blob are deleted too.
    /// </summary>
    public PruneResult Prune(TimeSpan? maxAge, long? maxBytes, IReadOnlySet<string> keptFingerprints)
    {
        var actions = System.IO.Directory.Exists(Ac)
            ? System.IO.Directory.EnumerateFiles(Ac, "*.json").Select(p => (Path: p, Fingerprint: Path.GetFileNameWithoutExtension(p))).ToList()
            : [];
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, fingerprint) in actions)
        {
            if (keptFingerprints.Contains(fingerprint) && TryGetAction(fingerprint) is { } record)
                kept.UnionWith(record.Files.Select(f => f.Sha256));
        }

        var blobs = System.IO.Directory.Exists(Cas)
            ? new DirectoryInfo(Cas).EnumerateFiles("*", SearchOption.AllDirectories)
                .Where(f => !f.Name.EndsWith(".tmp", StringComparison.Ordinal))
                .OrderBy(f => f.LastWriteTimeUtc).ToList()
            : [];
        var total = blobs.Sum(b => b.Length);
        var now = DateTime.UtcNow;
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        long freed = 0;
        foreach (var blob in blobs)
        {
            if (kept.Contains(blob.Name))
                continue;
            var tooOld = maxAge is { } age && now - blob.LastWriteTimeUtc > age;
            var tooBig = maxBytes is { } max && total > max;
            if (!tooOld && !tooBig)
                continue;
            AtomicFile.TryDelete(blob.FullName);
            deleted.Add(blob.Name);
            freed += blob.Length;
            total -= blob.Length;
        }

        var actionsDeleted = 0;
        foreach (var (path, fingerprint) in actions)
        {
            if (keptFingerprints.Contains(fingerprint))
                continue;
            var record = TryGetAction(fingerprint);
            if (record is null || record.Files.Any(f => deleted.Contains(f.Sha256) || !HasBlob(f.Sha256)))
            {
                AtomicFile.TryDelete(path);
                actionsDeleted++;
            }
        }
        return new PruneResult(deleted.Count, freed, actionsDeleted, blobs.Count - deleted.Count, total);
    }
}
