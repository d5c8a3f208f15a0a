using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>SHA-256 content digests in the OCI form <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
public static partial class OciDigest
{
    public static string Of(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static bool IsValid(string? digest) => digest is not null && Pattern().IsMatch(digest);

    /// <summary>The hex part of a validated digest (safe as a file name: it is checked, never trusted).</summary>
    public static string Hex(string digest) =>
        IsValid(digest) ? digest["sha256:".Length..] : throw new InvalidDataException($"'{digest}' is not a sha256 digest (sha256: and 64 lowercase hex digits).");

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Pattern();
}
