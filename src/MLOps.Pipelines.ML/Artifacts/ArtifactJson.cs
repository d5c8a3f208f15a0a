using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// How the files stages exchange are serialized: snake_case names, nulls left out, enums as lower-case strings,
/// indented, one trailing newline, written atomically; a missing file names the stage that writes it.
/// </summary>
internal static class ArtifactJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Compiled contracts first (what up-to-date checks read), reflection for the rest.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ArtifactJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    public static T Read<T>(string path, string writtenBy)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder, not a file: delete it and run {writtenBy} again.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: run {writtenBy} first.", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path} is empty (null): run {writtenBy} again.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A link loop or an I/O error: one line naming the file, as for bad content.
            throw new InvalidDataException($"{path} cannot be read ({e.Message.ReplaceLineEndings(" ")}): delete it and run {writtenBy} again.", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {typeof(T).Name} (line {e.LineNumber + 1}): {e.Message} Run {writtenBy} again.", e);
        }
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(Path.GetFullPath(path), Serialize(value));

    /// <summary>Six decimals (the files diff cleanly, a re-run writes the same bytes); NaN → null.</summary>
    public static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 6);

    public static double? Round(double? value) => value is { } v ? Round(v) : null;
}
