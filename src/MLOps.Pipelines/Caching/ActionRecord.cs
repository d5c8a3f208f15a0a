using System.Text.Json;

namespace MLOps.Pipelines.Caching;

/// <summary>A declared output of an action: a file or a directory, relative to the root.</summary>
internal sealed record ActionOutput(string Path, bool Directory);

/// <summary>One produced file: root-relative path, size, XXH3-128 (as in the lock file) and SHA-256 (its blob's name).</summary>
internal sealed record ActionFile(string Path, long Size, string Xxh3, string Sha256);

/// <summary>
/// The action-cache entry: fingerprint → what the target produced. Stored as JSON under <c>.nuke/cache/ac/</c> and,
/// remotely, as the body of <c>/ac/&lt;fingerprint&gt;</c> (our own format, not Bazel's ActionResult protobuf; the blobs
/// are under <c>/cas/&lt;sha256&gt;</c> exactly as Bazel stores them). Files of directories are listed one by one;
/// empty sub-directories are not recorded.
/// </summary>
internal sealed record ActionRecord(
    int Format,
    string Target,
    string Fingerprint,
    IReadOnlyList<ActionOutput> Outputs,
    IReadOnlyList<ActionFile> Files,
    IReadOnlyDictionary<string, double> Metrics)
{
    public const int CurrentFormat = 1;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, CacheJsonContext.Default.ActionRecord);

    /// <summary>Parses and checks an entry (it may come from a remote server): null when malformed or for another fingerprint.</summary>
    public static ActionRecord? TryParse(ReadOnlySpan<byte> json, string expectedFingerprint)
    {
        ActionRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(json, CacheJsonContext.Default.ActionRecord);
        }
        catch (JsonException)
        {
            return null;
        }
        if (record is null || record.Format != CurrentFormat || record.Fingerprint != expectedFingerprint
            || record.Outputs is null || record.Files is null || record.Metrics is null)
            return null;
        foreach (var file in record.Files)
        {
            if (file.Path is null || !ContentHash.IsHex(file.Sha256 ?? "", 64) || !ContentHash.IsHex(file.Xxh3 ?? "", 32) || file.Size < 0)
                return null;
        }
        return record;
    }
}
