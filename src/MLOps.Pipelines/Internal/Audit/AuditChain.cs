using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>
/// The chaining rule, in one place: record n carries <c>seq</c> = n (from 1), <c>prev</c> = the <c>hash</c> of record
/// n−1 (64 zeros for the first), and <c>hash</c> = SHA-256 of its own canonical serialization without the
/// <c>hash</c> field (<see cref="CanonicalJson"/>). Editing a field breaks that record's hash; deleting, inserting or
/// reordering records breaks a <c>seq</c> or <c>prev</c>.
/// </summary>
internal static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>
    /// Renders a record whose writer emits every key in ordinal order, the chain fields included (so its bytes are
    /// already canonical): once without its hash to compute it, once with it. Returns the hash and the line.
    /// </summary>
    public static (string Hash, byte[] Line) Seal(Action<Utf8JsonWriter, AuditLink> write, long seq, string prev)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Render(write, new AuditLink(seq, prev, null))));
        return (hash, Render(write, new AuditLink(seq, prev, hash)));
    }

    /// <summary>Seals a record given as a JSON object (any key order): it is canonicalized first.</summary>
    public static (string Hash, byte[] Line) Seal(JsonObject body, long seq, string prev)
    {
        body["seq"] = seq;
        body["prev"] = prev;
        var hash = HashOf(body);
        body["hash"] = hash;
        return (hash, CanonicalJson.Serialize(body));
    }

    /// <summary>The hash a parsed record should carry: of everything but its <c>hash</c> field.</summary>
    public static string HashOf(JsonObject record)
    {
        var copy = (JsonObject)record.DeepClone();
        copy.Remove("hash");
        return CanonicalJson.Sha256(copy);
    }

    static byte[] Render(Action<Utf8JsonWriter, AuditLink> write, AuditLink link)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options)) write(writer, link);
        return buffer.ToArray();
    }
}
