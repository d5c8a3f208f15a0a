using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines;

/// <summary>
/// <c>pipelines.lock</c>: per target its fingerprint, parameters, code hash, inputs, outputs and metrics, meant to be
/// committed and reviewed. JSON laid out by hand for diffs: keys in a fixed order, targets and maps sorted, one line
/// per input or output file, no timestamps, LF, a trailing newline — the same entries always give the same bytes.
/// Every update is a read-modify-write of one target's entry under an inter-process lock, written atomically, so two
/// processes updating different targets both survive and a reader never sees a half-written file.
/// </summary>
public sealed class LockFile(string root)
{
    public const string FileName = "pipelines.lock";
    const int FormatVersion = 1;
    static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public string Path { get; } = System.IO.Path.Combine(root, FileName);
    string MutexPath => System.IO.Path.Combine(root, ".nuke", "temp", "locks", "pipelines.lock.lock");

    /// <summary>All entries, by target; empty when the file does not exist.</summary>
    /// <remarks>A lock file that cannot be used (not JSON, the wrong shape, a folder, unreadable) throws <see cref="InvalidDataException"/> naming it and the fix.</remarks>
    public IReadOnlyDictionary<string, LockEntry> Read()
    {
        if (Directory.Exists(Path))
            throw new InvalidDataException($"{Path}: is a folder, not a file. Remove it (targets then re-run or restore from the cache).");
        if (!File.Exists(Path))
            return new Dictionary<string, LockEntry>();
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{Path}: cannot be read ({e.Message}). Restore it from version control or delete it.", e);
        }
        return Parse(text, Path);
    }

    /// <summary>Replaces (or, with null, removes) one target's entry, leaving every other entry as it is on disk now.</summary>
    public void Update(string target, LockEntry? entry)
    {
        using var mutex = InterProcessLock.Acquire(MutexPath);
        var entries = new Dictionary<string, LockEntry>(Read(), StringComparer.Ordinal);
        if (entry is null)
            entries.Remove(target);
        else
            entries[target] = entry;
        AtomicFile.WriteAllText(Path, Serialize(entries));
    }

    public static string Serialize(IReadOnlyDictionary<string, LockEntry> entries)
    {
        var w = new StringBuilder();
        w.Append("{\n");
        w.Append("  \"format\": ").Append(FormatVersion).Append(",\n");
        w.Append("  \"targets\": {");
        var first = true;
        foreach (var (name, e) in entries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.Append(first ? "\n" : ",\n");
            first = false;
            w.Append("    ").Append(Quote(name)).Append(": {\n");
            w.Append("      \"fingerprint\": ").Append(Quote(e.Fingerprint)).Append(",\n");
            w.Append("      \"code\": ").Append(Quote(e.CodeHash)).Append(",\n");
            if (e.Version is not null)
                w.Append("      \"version\": ").Append(Quote(e.Version)).Append(",\n");
            Map(w, "parameters", e.Parameters.ToDictionary(p => p.Key, p => Quote(p.Value)));
            w.Append(",\n");
            Map(w, "tools", e.ToolVersions.ToDictionary(p => p.Key, p => Quote(p.Value)));
            w.Append(",\n");
            Entries(w, "inputs", e.Inputs);
            w.Append(",\n");
            Entries(w, "outputs", e.Outputs);
            w.Append(",\n");
            Map(w, "metrics", e.Metrics.ToDictionary(p => p.Key, p => Number(p.Key, p.Value)));
            w.Append("\n    }");
        }
        w.Append(first ? "}\n" : "\n  }\n");
        w.Append("}\n");
        return w.ToString();
    }

    static void Map(StringBuilder w, string key, Dictionary<string, string> values)
    {
        w.Append("      ").Append(Quote(key)).Append(": {");
        if (values.Count == 0)
        {
            w.Append('}');
            return;
        }
        var first = true;
        foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.Append(first ? "\n" : ",\n");
            first = false;
            w.Append("        ").Append(Quote(name)).Append(": ").Append(value);
        }
        w.Append("\n      }");
    }

    static void Entries(StringBuilder w, string key, IReadOnlyList<ManifestEntry> entries)
    {
        w.Append("      ").Append(Quote(key)).Append(": [");
        if (entries.Count == 0)
        {
            w.Append(']');
            return;
        }
        var first = true;
        foreach (var e in entries.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            w.Append(first ? "\n" : ",\n");
            first = false;
            w.Append("        { \"path\": ").Append(Quote(e.Path));
            if (e.FileCount is { } count)
                w.Append(", \"files\": ").Append(count.ToString(CultureInfo.InvariantCulture));
            w.Append(", \"size\": ").Append(e.Size.ToString(CultureInfo.InvariantCulture));
            w.Append(", \"hash\": ").Append(Quote(e.Hash)).Append(" }");
        }
        w.Append("\n      ]");
    }

    static string Quote(string value) => "\"" + JsonEncodedText.Encode(value, Encoder).ToString() + "\"";

    static string Number(string name, double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"Metric '{name}' is {value}; the lock file records finite numbers only.", nameof(value));
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static IReadOnlyDictionary<string, LockEntry> Parse(string text, string pathForErrors)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{pathForErrors}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message} Resolve the merge conflict or delete the file (targets then re-run or restore from the cache).", e);
        }
        using (document)
        {
            var result = new Dictionary<string, LockEntry>(StringComparer.Ordinal);
            try
            {
                var format = document.RootElement.GetProperty("format").GetInt32();
                if (format != FormatVersion)
                    throw new InvalidDataException($"{pathForErrors}: format {format} is not supported (expected {FormatVersion}).");
                foreach (var target in document.RootElement.GetProperty("targets").EnumerateObject())
                {
                    var t = target.Value;
                    result[target.Name] = new LockEntry(
                        t.GetProperty("fingerprint").GetString() ?? throw new FormatException("a fingerprint is null"),
                        t.GetProperty("code").GetString() ?? throw new FormatException("a code hash is null"),
                        t.TryGetProperty("version", out var v) ? v.GetString() : null,
                        Strings(t, "parameters"),
                        Strings(t, "tools"),
                        ReadEntries(t, "inputs"),
                        ReadEntries(t, "outputs"),
                        Numbers(t, "metrics"));
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"{pathForErrors}: unexpected structure ({e.Message}). Delete the file to let targets re-record it.", e);
            }
            return result;
        }
    }

    // Plain loops rather than LINQ over JsonProperty and JsonElement: generic code over those structs is JIT-compiled on
    // first use, which cost a no-op build ~10 ms; every build reads the lock.
    static Dictionary<string, string> Strings(JsonElement target, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (target.TryGetProperty(name, out var map))
            foreach (var property in map.EnumerateObject())
                result[property.Name] = property.Value.GetString()!;
        return result;
    }

    static Dictionary<string, double> Numbers(JsonElement target, string name)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (target.TryGetProperty(name, out var map))
            foreach (var property in map.EnumerateObject())
                result[property.Name] = property.Value.GetDouble();
        return result;
    }

    /// <summary>
    /// A hash from the file, checked for form: hashes name files (tree lists in <c>.nuke/state/trees</c>), and a lock
    /// is edited by hand and merged, so "../../../dev/zero" must never become a path.
    /// </summary>
    static string Hash(string? value, int length, string field) =>
        value is not null && ContentHash.IsHex(value, length)
            ? value
            : throw new FormatException($"a \"{field}\" hash is not {length} lowercase hex digits: '{(value is null ? "null" : value.Length > 80 ? value[..80] + "…" : value)}'");

    static List<ManifestEntry> ReadEntries(JsonElement target, string name)
    {
        var result = new List<ManifestEntry>();
        if (target.TryGetProperty(name, out var list))
            foreach (var e in list.EnumerateArray())
                result.Add(new ManifestEntry(
                    e.GetProperty("path").GetString() ?? throw new FormatException($"a path in \"{name}\" is null"),
                    e.GetProperty("size").GetInt64(),
                    Hash(e.GetProperty("hash").GetString(), 32, name),
                    e.TryGetProperty("files", out var count) ? count.GetInt32() : null));
        return result;
    }
}
