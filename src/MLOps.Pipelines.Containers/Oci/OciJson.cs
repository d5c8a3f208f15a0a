using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// Compact JSON with a fixed property order and no needless escapes: the bytes of a manifest or config are hashed
/// into digests, so they must depend on the content only.
/// </summary>
public static class OciJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static JsonObject ParseObject(byte[] bytes, string what) =>
        JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidDataException($"{what} is not a JSON object.");

    public static JsonNode ToNode(OciDescriptor descriptor) => new JsonObject
    {
        ["mediaType"] = descriptor.MediaType,
        ["digest"] = descriptor.Digest,
        ["size"] = descriptor.Size,
    };

    public static OciDescriptor ToDescriptor(JsonNode? node, string what)
    {
        var mediaType = node?["mediaType"]?.GetValue<string>();
        var digest = node?["digest"]?.GetValue<string>();
        var size = node?["size"]?.GetValue<long>();
        if (mediaType is null || !OciDigest.IsValid(digest) || size is null or < 0)
            throw new InvalidDataException($"{what} is not a valid descriptor (mediaType, sha256 digest, size).");
        return new OciDescriptor(mediaType, digest!, size.Value);
    }
}
