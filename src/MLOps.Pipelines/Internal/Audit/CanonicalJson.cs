using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The one serialization an audit record is hashed in: object keys sorted by ordinal, no whitespace, numbers and
/// strings as the writer renders them (a parsed record re-serializes to the same bytes, since parsed numbers keep
/// their original text). Anyone can recompute a record's hash from its line with any JSON library that sorts keys.
/// </summary>
internal static class CanonicalJson
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static byte[] Serialize(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) Write(writer, node);
        return buffer.ToArray();
    }

    public static string SerializeToString(JsonNode? node) => Encoding.UTF8.GetString(Serialize(node));

    /// <summary>Lowercase hex SHA-256 of the canonical bytes.</summary>
    public static string Sha256(JsonNode? node) => Convert.ToHexStringLower(SHA256.HashData(Serialize(node)));

    static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
