using System.Security.Cryptography;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>SHA-256 digests as the registry writes them: 64 lowercase hex characters.</summary>
internal static class Sha256Digest
{
    public static bool IsValid(string? digest) =>
        digest is { Length: 64 } && digest.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static void EnsureValid(string digest, string parameterName)
    {
        if (!IsValid(digest))
            throw new ArgumentException(
                $"'{digest}' is not a SHA-256 digest: expected 64 lowercase hex characters.", parameterName);
    }

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Copies <paramref name="source"/> to a new file while hashing it, so the bytes are read once.</summary>
    public static string CopyHashing(Stream source, string destinationPath)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var destination = new FileStream(destinationPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                destination.Write(buffer, 0, read);
            }
            destination.Flush(flushToDisk: true);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
