using System.Collections.Concurrent;
using System.IO.Hashing;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>
/// Reads and writes this machine's cache files (<c>.nuke/state</c>: the file state, directory manifests, tree lists,
/// code analyses). They are only a cache, so a damaged one — truncated, a flipped bit (binary files carry an XXH3-128
/// checksum), the wrong shape, a folder in its place, unreadable — is discarded with one warning naming it, and the
/// build goes on; a write that fails is one warning too, never a failed build.
/// </summary>
internal sealed class StateFiles(Action<string>? warn)
{
    const int ChecksumLength = 16;
    readonly ConcurrentDictionary<string, bool> _warned = new(StringComparer.Ordinal);

    /// <summary>The file's bytes; null when it does not exist, or (with a warning, the file removed) when it cannot be used.</summary>
    public byte[]? TryRead(string path, long maxBytes)
    {
        try
        {
            if (Directory.Exists(path))
                return Discard(path, "is a folder, not a file");
            var info = new FileInfo(path);
            // Never followed: a link could lead to /dev/zero or outside the repository.
            if (info.LinkTarget is not null)
                return Discard(path, $"is a link (to {info.LinkTarget}), not a file");
            if (!info.Exists)
                return null;
            if (info.Length > maxBytes)
                return Discard(path, $"is {info.Length} bytes, far more than this cache file ever holds");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Discard(path, $"cannot be read ({e.Message})");
        }
    }

    /// <summary>The body of a file written by <see cref="WriteChecked"/>, or null (warned) when its checksum does not match.</summary>
    /// <param name="legacyMagic">The magic string of the format before checksums: such a file is silently replaced.</param>
    public byte[]? TryReadChecked(string path, string? legacyMagic = null, long maxBytes = 1L << 31)
    {
        if (TryRead(path, maxBytes) is not { } bytes)
            return null;
        if (legacyMagic is not null && bytes.Length > legacyMagic.Length
            && bytes[0] == legacyMagic.Length && bytes.AsSpan(1, legacyMagic.Length).SequenceEqual(System.Text.Encoding.ASCII.GetBytes(legacyMagic)))
            return null;
        if (bytes.Length < ChecksumLength
            || !XxHash128.Hash(bytes.AsSpan(0, bytes.Length - ChecksumLength)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - ChecksumLength)))
            return Discard(path, bytes.Length == 0 ? "is empty" : "is damaged (checksum mismatch)");
        return bytes[..^ChecksumLength];
    }

    /// <summary>Writes <paramref name="body"/> followed by its checksum.</summary>
    public static void WriteChecked(Stream stream, MemoryStream body)
    {
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        stream.Write(bytes);
        stream.Write(XxHash128.Hash(bytes));
    }

    /// <summary>Writes atomically; a folder in the way is removed, and any failure is one warning (the cache is then not updated).</summary>
    public void TryWrite(string path, Action<Stream> write)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Warn(path, "is a folder, not a file; replaced");
                Directory.Delete(path, recursive: true);
            }
            AtomicFile.Write(path, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Warn(path, $"could not be written ({e.Message}); the next build recomputes what it would have saved");
        }
    }

    /// <summary>Warns (once per file) and removes a damaged cache file or folder; returns null for the callers' convenience.</summary>
    public byte[]? Discard(string path, string why)
    {
        Warn(path, $"{why}; discarded (it is only a cache, the build goes on)");
        try
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    void Warn(string path, string message)
    {
        if (_warned.TryAdd(path, true))
            warn?.Invoke($"cache file {path} {message}.");
    }
}
