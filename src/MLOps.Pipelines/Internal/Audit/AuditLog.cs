using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The append-only audit log: one canonical JSON record per line, hash-chained (<see cref="AuditChain"/>). Appends
/// run under an inter-process lock, so concurrent builds extend one chain; each record is written with one write
/// call and flushed to disk before the head file is replaced, so a killed build leaves either no trace or a torn
/// tail, which the next append moves aside to <c>audit.log.torn</c> before writing (a torn line is never a record).
/// </summary>
internal sealed class AuditLog(string path)
{
    public const string DefaultRelativePath = ".nuke/audit/audit.log";
    public const string HeadFileName = "audit.head";
    public const string TornFileSuffix = "audit.log.torn";
    /// <summary>Points the log elsewhere, e.g. a volume every runner of a team mounts.</summary>
    public const string PathVariable = "MLOPS_AUDIT_LOG";

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string Path { get; } = path;
    string Directory => System.IO.Path.GetDirectoryName(Path)!;
    public string HeadPath => System.IO.Path.Combine(Directory, HeadFileName);
    string LockPath => Path + ".lock";
    string TornPath => Path + ".torn";

    /// <summary>The log of a repository: <c>$MLOPS_AUDIT_LOG</c> when set, else <c>.nuke/audit/audit.log</c>.</summary>
    public static AuditLog For(string root, string? overridePath = null)
    {
        var configured = overridePath ?? Environment.GetEnvironmentVariable(PathVariable);
        return new AuditLog(string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(root, DefaultRelativePath)
            : System.IO.Path.GetFullPath(configured, root));
    }

    /// <summary>Appends a record given as a JSON object (tests, tools); see <see cref="Append(Action{System.Text.Json.Utf8JsonWriter, AuditLink}, TimeSpan?)"/>.</summary>
    public (long Seq, string Hash, string? Warning) Append(JsonObject body, TimeSpan? lockTimeout = null) =>
        Append((seq, prev) => AuditChain.Seal((JsonObject)body.DeepClone(), seq, prev), lockTimeout);

    /// <summary>
    /// Appends the next record, written by <paramref name="write"/> with its keys in ordinal order; returns its seq and
    /// hash, and a warning when a torn tail was moved aside.
    /// </summary>
    public (long Seq, string Hash, string? Warning) Append(Action<System.Text.Json.Utf8JsonWriter, AuditLink> write, TimeSpan? lockTimeout = null) =>
        Append((seq, prev) => AuditChain.Seal(write, seq, prev), lockTimeout);

    (long Seq, string Hash, string? Warning) Append(Func<long, string, (string Hash, byte[] Line)> seal, TimeSpan? lockTimeout)
    {
        System.IO.Directory.CreateDirectory(Directory);
        using var _ = InterProcessLock.Acquire(LockPath, timeout: lockTimeout ?? TimeSpan.FromMinutes(1));
        using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
        var (last, completeLength) = LastRecord(stream);
        string? warning = null;
        if (completeLength < stream.Length)
        {
            var torn = new byte[stream.Length - completeLength];
            stream.Position = completeLength;
            stream.ReadExactly(torn);
            using (var aside = new FileStream(TornPath, FileMode.Append, FileAccess.Write)) { aside.Write(torn); aside.Write("\n"u8); }
            stream.SetLength(completeLength);
            warning = $"{Path}: moved a torn tail of {torn.Length} bytes (an append interrupted mid-write) to {TornPath}.";
        }

        var seq = (last?.Seq ?? 0) + 1;
        var (hash, line) = seal(seq, last?.Hash ?? AuditChain.Genesis);
        var bytes = new byte[line.Length + 1];
        line.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        stream.Position = stream.Length;
        stream.Write(bytes); // one write(2) of the whole line: a kill lands before or after it
        stream.Flush(flushToDisk: true);
        WriteHead(new AuditHead(seq, hash));
        return (seq, hash, warning);
    }

    /// <summary>
    /// Replaces the head by rename (readers see the old or the new one) without a second fsync: after a power loss the
    /// head may lag the flushed log, which verification allows, but never run ahead of it.
    /// </summary>
    void WriteHead(AuditHead head)
    {
        var temp = HeadPath + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllText(temp, head.Render());
        File.Move(temp, HeadPath, overwrite: true);
    }

    /// <summary>Checks the whole chain and the head; a missing log is an empty, intact one.</summary>
    public AuditVerification Verify()
    {
        var text = File.Exists(Path) ? File.ReadAllText(Path, Utf8) : "";
        var head = File.Exists(HeadPath) ? AuditHead.Parse(File.ReadAllText(HeadPath)) : null;
        return AuditChainVerifier.Verify(text, head, Path);
    }

    /// <summary>The last complete record's seq and hash, and where the complete lines end (reads backwards from the end).</summary>
    static (AuditHead? Last, long CompleteLength) LastRecord(FileStream stream)
    {
        var length = stream.Length;
        if (length == 0) return (null, 0);
        var end = LastIndexOf(stream, (byte)'\n', length);
        if (end < 0) return (null, 0);
        var start = LastIndexOf(stream, (byte)'\n', end) + 1;
        var line = new byte[end - start];
        stream.Position = start;
        stream.ReadExactly(line);
        // JsonDocument rather than JsonNode: every build already uses it (the lock file), so no extra JIT on this path.
        try
        {
            using var record = JsonDocument.Parse(line);
            var seq = record.RootElement.GetProperty("seq").GetInt64();
            var hash = record.RootElement.GetProperty("hash").GetString()!;
            return (new AuditHead(seq, hash), end + 1);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The last line of {stream.Name} is not an audit record ({e.Message}); run --verify-audit to see where the log is broken.", e);
        }
    }

    /// <summary>Position of the last <paramref name="value"/> before <paramref name="before"/>, or -1.</summary>
    static long LastIndexOf(FileStream stream, byte value, long before)
    {
        var buffer = new byte[64 * 1024];
        var position = before;
        while (position > 0)
        {
            var size = (int)Math.Min(buffer.Length, position);
            position -= size;
            stream.Position = position;
            stream.ReadExactly(buffer, 0, size);
            var index = Array.LastIndexOf(buffer, value, size - 1, size);
            if (index >= 0) return position + index;
        }
        return -1;
    }
}
