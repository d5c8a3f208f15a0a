using System.Reflection;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Equal when two members stand for the same metadata definition, whatever type they were reflected from
/// (<see cref="MemberInfo.HasSameMetadataDefinitionAs"/>), so lookups do not depend on reflection's caching.
/// </summary>
internal sealed class MetadataDefinitionComparer : IEqualityComparer<MemberInfo>
{
    public static readonly MetadataDefinitionComparer Instance = new();

    public bool Equals(MemberInfo? x, MemberInfo? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.HasSameMetadataDefinitionAs(y));

    public int GetHashCode(MemberInfo obj) => HashCode.Combine(obj.Module, obj.MetadataToken);
}
