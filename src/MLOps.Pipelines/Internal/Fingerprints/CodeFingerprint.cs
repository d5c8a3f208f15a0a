using System.Reflection;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>The code part of a target's fingerprint.</summary>
/// <param name="Hash">Lowercase hex XXH3-128 (32 digits) over the canonical IL of every method reached; stable across processes.</param>
/// <param name="FieldsRead">
/// Every field loaded, stored or address-taken in the walked code (open definitions; lookups match by metadata
/// definition). The runner maps these to [Parameter] fields and auto-property backing fields.
/// </param>
/// <param name="MethodsReached">Readable names of the walked methods in walk order (explain, debugging).</param>
/// <param name="MethodHashes">Per reached method (same order), the hash of its normalized entry.</param>
internal sealed record CodeFingerprint(
    string Hash,
    IReadOnlySet<FieldInfo> FieldsRead,
    IReadOnlyList<string> MethodsReached,
    IReadOnlyList<string> MethodHashes)
{
    /// <summary>The walked methods themselves (open definitions): the runner maps component parameters' getters and the assemblies reached.</summary>
    public IReadOnlySet<MethodBase> MethodsWalked { get; init; } = new HashSet<MethodBase>();
}
