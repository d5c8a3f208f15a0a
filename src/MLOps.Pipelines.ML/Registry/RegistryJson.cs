using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// The registry file format: JSON written field by field in a fixed order, maps sorted by key (ordinal), two-space
/// indentation, LF line ends, timestamps in UTC to the second — so the same state always gives the same bytes and
/// a review diff shows only what changed. New versions and alias moves are appended at the end of their arrays.
/// </summary>
internal static class RegistryJson
{
    public const int FormatVersion = 1;

    static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Keep "AUC 0.85 > champion v2 0.84" readable in review instead of \u003E.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(RegistryDocument document)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("format", FormatVersion);
            json.WriteString("model", document.Model);
            json.WriteStartObject("aliases");
            foreach (var (alias, version) in document.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
                json.WriteNumber(alias, version);
            json.WriteEndObject();
            json.WriteStartArray("versions");
            foreach (var version in document.Versions)
                WriteVersion(json, version);
            json.WriteEndArray();
            json.WriteStartArray("aliasHistory");
            foreach (var move in document.History)
                WriteMove(json, move);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    static void WriteVersion(Utf8JsonWriter json, ModelVersion version)
    {
        json.WriteStartObject();
        json.WriteNumber("version", version.Version);
        json.WriteString("modelFile", version.ModelFileName);
        json.WriteString("modelSha256", version.ModelSha256);
        json.WriteNumber("modelBytes", version.ModelBytes);
        // Only when shared: files registered to the local folder keep their bytes (no churn in review).
        if (version.ModelLocation is { } location) json.WriteString("modelLocation", location);
        WriteMap(json, "data", version.DataDigests, json.WriteStringValue);
        json.WriteString("codeFingerprint", version.CodeFingerprint);
        WriteMap(json, "parameters", version.Parameters, json.WriteStringValue);
        WriteMap(json, "metrics", version.Metrics, json.WriteNumberValue);
        json.WriteString("gitCommit", version.GitCommit);
        json.WriteString("createdAt", FormatTime(version.CreatedAt));
        json.WriteString("createdBy", version.CreatedBy);
        json.WriteEndObject();
    }

    static void WriteMove(Utf8JsonWriter json, AliasMove move)
    {
        json.WriteStartObject();
        json.WriteString("alias", move.Alias);
        if (move.From is { } from) json.WriteNumber("from", from);
        else json.WriteNull("from");
        json.WriteNumber("to", move.To);
        json.WriteString("kind", move.Kind.ToString().ToLowerInvariant());
        json.WriteString("by", move.By);
        json.WriteString("at", FormatTime(move.At));
        json.WriteString("why", move.Why);
        json.WriteEndObject();
    }

    static void WriteMap<T>(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, T> map, Action<T> writeValue)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(key);
            writeValue(value);
        }
        json.WriteEndObject();
    }

    static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads a registry file; every problem names the file, the place and what is expected.</summary>
    public static RegistryDocument Read(string json, string sourcePath)
    {
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ModelRegistryException(
                $"{sourcePath}: not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message} " +
                "Resolve the edit or merge conflict, or restore the file from git.", e);
        }

        using (parsed)
        {
            var reader = new FieldReader(sourcePath);
            var root = parsed.RootElement;
            var format = reader.Int(root, "format", "the file");
            if (format != FormatVersion)
                throw new ModelRegistryException(
                    $"{sourcePath}: format {format} is not supported (this version reads format {FormatVersion}).");
            var model = reader.String(root, "model", "the file");
            var aliases = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var alias in reader.Property(root, "aliases", JsonValueKind.Object, "the file").EnumerateObject())
            {
                // JSON allows a name twice (a bad merge); the last one must not win silently.
                if (aliases.ContainsKey(alias.Name))
                    throw reader.Error($"alias '{alias.Name}' appears twice in aliases (a merge conflict?). Keep the one its aliasHistory ends with.");
                aliases[alias.Name] = reader.Int(alias.Value, $"aliases.{alias.Name}");
            }

            var versions = new List<ModelVersion>();
            var index = 0;
            foreach (var item in reader.Property(root, "versions", JsonValueKind.Array, "the file").EnumerateArray())
                versions.Add(ReadVersion(reader, item, $"versions[{index++}]"));

            var history = new List<AliasMove>();
            index = 0;
            foreach (var item in reader.Property(root, "aliasHistory", JsonValueKind.Array, "the file").EnumerateArray())
                history.Add(ReadMove(reader, item, $"aliasHistory[{index++}]"));

            var document = new RegistryDocument(model, versions, aliases, history);
            Check(document, sourcePath);
            return document;
        }
    }

    static ModelVersion ReadVersion(FieldReader reader, JsonElement item, string where) => new ModelVersion(
        reader.Int(item, "version", where),
        reader.String(item, "modelFile", where),
        reader.String(item, "modelSha256", where),
        reader.Long(item, "modelBytes", where),
        reader.Map(item, "data", where, e => reader.String(e.Value, $"{where}.data.{e.Name}")),
        reader.String(item, "codeFingerprint", where),
        reader.Map(item, "parameters", where, e => reader.String(e.Value, $"{where}.parameters.{e.Name}")),
        reader.Map(item, "metrics", where, e => reader.Double(e.Value, $"{where}.metrics.{e.Name}")),
        reader.String(item, "gitCommit", where),
        reader.Time(item, "createdAt", where),
        reader.String(item, "createdBy", where))
    {
        ModelLocation = item.TryGetProperty("modelLocation", out _) ? reader.String(item, "modelLocation", where) : null,
    };

    static AliasMove ReadMove(FieldReader reader, JsonElement item, string where)
    {
        var fromElement = reader.Property(item, "from", null, where);
        int? from = fromElement.ValueKind == JsonValueKind.Null ? null : reader.Int(fromElement, $"{where}.from");
        var kindText = reader.String(item, "kind", where);
        if (!Enum.TryParse<AliasMoveKind>(kindText, ignoreCase: true, out var kind) || int.TryParse(kindText, out _))
            throw reader.Error($"{where}.kind is '{kindText}'; expected set, promote or rollback.");
        return new AliasMove(
            reader.String(item, "alias", where), from, reader.Int(item, "to", where), kind,
            reader.String(item, "by", where), reader.Time(item, "at", where), reader.String(item, "why", where));
    }

    /// <summary>Cross-checks a hand-edited or merged file: unique versions, valid digests, aliases that agree with their history.</summary>
    static void Check(RegistryDocument document, string sourcePath)
    {
        // Versions number files and history entries; NextVersion must stay a positive int.
        foreach (var version in document.Versions.Where(v => v.Version is < 1 or >= MaxVersion))
            throw new ModelRegistryException(
                $"{sourcePath}: version number {version.Version} is out of range; versions are whole numbers from 1 to {MaxVersion - 1}. " +
                "Renumber it, or restore the file from git.");
        foreach (var version in document.Versions.Where(v => !IsPlainFileName(v.ModelFileName)))
            throw new ModelRegistryException(
                $"{sourcePath}: version {version.Version} has modelFile '{version.ModelFileName}'; expected a plain file name such as model.zip " +
                "(no folder, no '..'). Correct it, or restore the file from git.");
        foreach (var move in document.History.Where(m => document.Find(m.To) is null || m.From is { } from && document.Find(from) is null))
            throw new ModelRegistryException(
                $"{sourcePath}: aliasHistory moves '{move.Alias}' from {move.From?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} to {move.To}, " +
                "but only registered versions can be held by an alias (a rollback would go there). Correct the move, or restore the file from git.");
        var duplicate = document.Versions.GroupBy(v => v.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ModelRegistryException(
                $"{sourcePath}: version {duplicate.Key} appears {duplicate.Count()} times (a merge of two registrations?). " +
                "Renumber one of them to a new version and keep both entries.");
        foreach (var version in document.Versions.Where(v => !Sha256Digest.IsValid(v.ModelSha256)))
            throw new ModelRegistryException(
                $"{sourcePath}: version {version.Version} has modelSha256 '{version.ModelSha256}'; expected 64 lowercase hex characters.");
        foreach (var (alias, target) in document.Aliases)
        {
            if (document.Find(target) is null)
                throw new ModelRegistryException($"{sourcePath}: alias '{alias}' points at version {target}, which is not registered.");
            var last = document.History.LastOrDefault(m => m.Alias == alias);
            if (last is null || last.To != target)
                throw new ModelRegistryException(
                    $"{sourcePath}: alias '{alias}' points at version {target} but its last move in aliasHistory goes to " +
                    $"{(last is null ? "nothing" : $"version {last.To}")}. Make the alias and its history agree.");
        }
        foreach (var move in document.History.Where(m => !document.Aliases.ContainsKey(m.Alias)))
            throw new ModelRegistryException(
                $"{sourcePath}: aliasHistory moves alias '{move.Alias}', which is missing from aliases.");
    }

    const int MaxVersion = 1_000_000_000;

    static bool IsPlainFileName(string name) =>
        name.Length > 0 && name is not "." and not ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;

    /// <summary>Reads typed fields, naming the file and the JSON path of anything missing or mistyped.</summary>
    sealed class FieldReader(string sourcePath)
    {
        public ModelRegistryException Error(string problem) => new($"{sourcePath}: {problem}");

        public JsonElement Property(JsonElement owner, string name, JsonValueKind? kind, string where)
        {
            if (owner.ValueKind != JsonValueKind.Object)
                throw Error($"{where} is {owner.ValueKind}; expected an object.");
            if (!owner.TryGetProperty(name, out var value))
                throw Error($"{where} lacks the field '{name}'.");
            if (kind is { } expected && value.ValueKind != expected)
                throw Error($"{where}.{name} is {value.ValueKind}; expected {expected}.");
            return value;
        }

        public string String(JsonElement owner, string name, string where) =>
            String(Property(owner, name, null, where), $"{where}.{name}");

        public string String(JsonElement value, string where) =>
            value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error($"{where} is {value.ValueKind}; expected a string.");

        public int Int(JsonElement owner, string name, string where) => Int(Property(owner, name, null, where), $"{where}.{name}");

        public int Int(JsonElement value, string where) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
                ? number
                : throw Error($"{where} is {value}; expected a whole number.");

        public long Long(JsonElement owner, string name, string where)
        {
            var value = Property(owner, name, null, where);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
                ? number
                : throw Error($"{where}.{name} is {value}; expected a whole number.");
        }

        public double Double(JsonElement value, string where) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                ? number
                : throw Error($"{where} is {value}; expected a finite number.");

        public DateTimeOffset Time(JsonElement owner, string name, string where)
        {
            var text = String(owner, name, where);
            return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw Error($"{where}.{name} is '{text}'; expected a UTC time such as 2025-01-31T12:00:00Z.");
        }

        public IReadOnlyDictionary<string, T> Map<T>(JsonElement owner, string name, string where, Func<JsonProperty, T> read)
        {
            var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
            foreach (var entry in Property(owner, name, JsonValueKind.Object, where).EnumerateObject())
                map[entry.Name] = read(entry);
            return map;
        }
    }
}
