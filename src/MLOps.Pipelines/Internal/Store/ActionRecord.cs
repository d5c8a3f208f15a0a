using System.Text.Json;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Store;

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
            || record.Target is null || record.Outputs is null || record.Files is null || record.Metrics is null)
            return null;
        return Problem(record) is null ? record : null;
    }

    /// <summary>
    /// Why a record cannot be restored as it stands, or null when it is well formed: every path relative, normalized
    /// and unique; no output inside another; every file inside exactly one output, and a file output exactly one file
    /// (so <c>out/a</c> beside <c>out/a/b</c>, the same file twice, or <c>../x</c> never reach the restore).
    /// </summary>
    internal static string? Problem(ActionRecord record)
    {
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in record.Outputs)
        {
            if (output is null || !IsSafeRelativePath(output.Path))
                return $"output path '{output?.Path}' is not a normalized relative path";
            if (!outputs.Add(output.Path))
                return $"output '{output.Path}' is listed twice";
        }
        foreach (var output in outputs)
        {
            if (outputs.Any(other => other != output && other.StartsWith(output + "/", StringComparison.Ordinal)))
                return $"output '{output}' contains another output";
        }
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in record.Files)
        {
            if (file is null || !IsSafeRelativePath(file.Path))
                return $"file path '{file?.Path}' is not a normalized relative path";
            if (!ContentHash.IsHex(file.Sha256 ?? "", 64) || !ContentHash.IsHex(file.Xxh3 ?? "", 32) || file.Size < 0)
                return $"file '{file.Path}' has a malformed hash or size";
            if (!files.Add(file.Path))
                return $"file '{file.Path}' is listed twice";
            var owners = record.Outputs.Count(o => o.Directory ? file.Path.StartsWith(o.Path + "/", StringComparison.Ordinal) : file.Path == o.Path);
            if (owners != 1)
                return $"file '{file.Path}' lies in {owners} outputs";
        }
        foreach (var file in files)
        {
            // A file that is also a folder of another file: "out/a" and "out/a/b".
            var slash = file.LastIndexOf('/');
            for (; slash > 0; slash = file.LastIndexOf('/', slash - 1))
            {
                if (files.Contains(file[..slash]))
                    return $"file '{file[..slash]}' is also the folder of '{file}'";
            }
        }
        foreach (var output in record.Outputs.Where(o => !o.Directory))
        {
            if (!files.Contains(output.Path))
                return $"file output '{output.Path}' has no file";
        }
        return null;
    }

    /// <summary>A '/'-separated path with no empty, '.' or '..' segment, no backslash, colon or control character.</summary>
    internal static bool IsSafeRelativePath(string? path) =>
        !string.IsNullOrEmpty(path) && path.Length <= 4096 && !path.Any(c => c < ' ' || c is '\\' or ':' or (char)127)
        && path.Split('/').All(segment => segment is not ("" or "." or ".."));
}
