using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>
/// Content hashes as lowercase hex. XXH3-128 (fast, non-cryptographic) detects change on this machine and in the
/// lock file; SHA-256 names what is shared with others (remote cache keys and blobs), where a digest must resist
/// tampering. Files up to 8 MiB are read whole into a pooled buffer and hashed in one call; larger ones are streamed
/// through a pooled buffer, never loaded whole.
/// </summary>
internal static class ContentHash
{
    const int BufferSize = 1 << 20;
    const int WholeFileLimit = 8 << 20;

    /// <summary>XXH3-128 of a byte span, in the canonical (big-endian) form <c>xxhsum -H128</c> prints.</summary>
    public static string Xxh3(ReadOnlySpan<byte> data)
    {
        // XxHash128.Hash's long-input loop starts unoptimized in every process and, called once per file, rarely runs
        // long enough to be replaced: on 10,000 files of 105 KiB it ran at a third of its speed (see Xxh3LongStream).
        if (data.Length < Xxh3LongStream.MinimumLength || !Xxh3LongStream.IsSupported)
            return Convert.ToHexStringLower(XxHash128.Hash(data));
        var stream = new Xxh3LongStream();
        stream.Append(data);
        return Convert.ToHexStringLower(stream.GetHash());
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Xxh3File(string path) =>
        TryWhole(path, data => Xxh3(data), out var whole) ? whole : StreamXxh3(path, sha: null);

    public static string Sha256File(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Stream(path, chunk => hash.AppendData(chunk));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Both hashes in one read of the file (outputs need XXH3 for the lock file and SHA-256 for the store).</summary>
    public static (string Xxh3, string Sha256) BothFile(string path)
    {
        if (TryWhole(path, data => (Xxh3(data), Sha256(data)), out var whole))
            return whole;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var xxh3 = StreamXxh3(path, sha);
        return (xxh3, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    delegate T WholeHandler<T>(ReadOnlySpan<byte> data);

    /// <summary>
    /// Hashes a file of at most 8 MiB from one read into a pooled buffer; false when it is larger (or grew while
    /// read). The one-shot XXH3 runs optimized code from the first call and skips the streaming state's copies.
    /// </summary>
    static bool TryWhole<T>(string path, WholeHandler<T> hash, out T result)
    {
        result = default!;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length > WholeFileLimit)
            return false;
        var buffer = ArrayPool<byte>.Shared.Rent((int)length + 1);
        try
        {
            var read = 0;
            int n;
            while (read < buffer.Length && (n = RandomAccess.Read(handle, buffer.AsSpan(read), read)) > 0)
                read += n;
            if (read == buffer.Length)
                return false;
            result = hash(buffer.AsSpan(0, read));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Streams a file through XXH3-128 and, when given, SHA-256 in the same pass.</summary>
    static string StreamXxh3(string path, IncrementalHash? sha)
    {
        if (Xxh3LongStream.IsSupported)
        {
            var xxh3 = new Xxh3LongStream();
            Stream(path, chunk =>
            {
                xxh3.Append(chunk);
                sha?.AppendData(chunk);
            });
            if (xxh3.Length >= Xxh3LongStream.MinimumLength)
                return Convert.ToHexStringLower(xxh3.GetHash());
            sha?.GetHashAndReset(); // the file shrank under 241 bytes while read: hash it again below
        }
        var hash = new XxHash128();
        Stream(path, chunk =>
        {
            hash.Append(chunk);
            sha?.AppendData(chunk);
        });
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    delegate void ChunkHandler(ReadOnlySpan<byte> chunk);

    static void Stream(string path, ChunkHandler onChunk)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 0, FileOptions.SequentialScan);
            int read;
            while ((read = file.Read(buffer, 0, BufferSize)) > 0)
                onChunk(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static bool IsHex(string value, int length) =>
        value.Length == length && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
