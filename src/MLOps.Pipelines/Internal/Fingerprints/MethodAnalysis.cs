using System.Reflection;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// What the walk needs to know about one method, computed once per fingerprinter. Invented names are kept as
/// raw keys in order of appearance so each target can number them by its own order of first encounter.
/// </summary>
/// <param name="BodyHash">XXH3-128 of the canonical body, or null when there is no body to hash (identity only).</param>
/// <param name="Callees">Own methods the body may run, in order of appearance; boundaries are filtered later.</param>
/// <param name="Fields">Every field the body loads, stores or takes the address of (open definitions).</param>
internal sealed record MethodAnalysis(
    string DisplayName,
    string Identity,
    IReadOnlyList<string> IdentityInventedNames,
    byte[]? BodyHash,
    IReadOnlyList<string> BodyInventedNames,
    IReadOnlyList<MethodBase> Callees,
    IReadOnlyList<FieldInfo> Fields);
