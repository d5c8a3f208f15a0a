using System.Text.Json.Nodes;

namespace MLOps.Pipelines.Audit;

/// <summary>
/// The chaining rule, in one place: record n carries <c>seq</c> = n (from 1), <c>prev</c> = the <c>hash</c> of record
/// n−1 (64 zeros for the first), and <c>hash</c> = SHA-256 of its own canonical serialization without the
/// <c>hash</c> field. Editing a field breaks that record's hash; deleting, inserting or reordering records breaks a
/// <c>seq</c> or <c>prev</c>.
/// </summary>
internal static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Adds seq, prev and hash to <paramref name="body"/> (which must not have them) and returns its line.</summary>
    public static (string Hash, string Line) Seal(JsonObject body, long seq, string prev)
    {
        body["seq"] = seq;
        body["prev"] = prev;
        var hash = HashOf(body);
        body["hash"] = hash;
        return (hash, CanonicalJson.SerializeToString(body));
    }

    /// <summary>The hash a record should carry: of everything but its <c>hash</c> field.</summary>
    public static string HashOf(JsonObject record)
    {
        var copy = (JsonObject)record.DeepClone();
        copy.Remove("hash");
        return CanonicalJson.Sha256(copy);
    }
}
