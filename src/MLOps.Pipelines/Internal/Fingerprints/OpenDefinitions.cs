using System.Reflection;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>Maps instantiated generic members to the open definitions the walk hashes and caches.</summary>
internal static class OpenDefinitions
{
    public static Type Of(Type type) => type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;

    public static MethodBase Of(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } generic)
            method = generic.GetGenericMethodDefinition();
        if (method.DeclaringType is { IsConstructedGenericType: true })
            method = method.Module.ResolveMethod(method.MetadataToken) ?? method;
        return method;
    }

    public static FieldInfo Of(FieldInfo field) =>
        field.DeclaringType is { IsConstructedGenericType: true }
            ? field.Module.ResolveField(field.MetadataToken) ?? field
            : field;
}
