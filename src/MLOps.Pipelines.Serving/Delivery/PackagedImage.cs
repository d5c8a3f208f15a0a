using System.Text.Json;
using System.Text.Json.Serialization;
using MLOps.Pipelines.Containers.Naming;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// What Package made of a registry version, recorded beside the registry entry as
/// <c>models/&lt;name&gt;/images/v&lt;N&gt;.json</c>: the model's SHA-256 (so Deploy can refuse an image of another
/// model), the image's manifest and config digests, its tag, and where it was pushed.
/// </summary>
public sealed record PackagedImage(
    [property: JsonPropertyName("model")] string ModelName,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("model_sha256")] string ModelSha256,
    [property: JsonPropertyName("image_digest")] string ImageDigest,
    [property: JsonPropertyName("config_digest")] string ConfigDigest,
    [property: JsonPropertyName("tag")] string Tag,
    [property: JsonPropertyName("compressed_bytes")] long CompressedBytes,
    [property: JsonPropertyName("pushed_to")] string? PushedTo)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string PathOf(string registryDirectory, int version) =>
        ContainedPath.Resolve(registryDirectory, "images", $"v{DeploymentNames.Version(version)}.json");

    public void Write(string registryDirectory)
    {
        var path = PathOf(registryDirectory, Version);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
    }

    /// <summary>The record of <paramref name="version"/>, or null when that version was never packaged.</summary>
    public static PackagedImage? Read(string registryDirectory, int version)
    {
        var path = PathOf(registryDirectory, version);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<PackagedImage>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty image record; run Package again.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid image record ({e.Message}); run Package again.", e);
        }
    }
}
