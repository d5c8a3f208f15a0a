using System.Reflection;
using System.Text;

namespace MLOps.Pipelines.Internal.Fingerprints;

/// <summary>
/// Spells types, methods and fields the way the code fingerprint hashes them: no assembly versions, generic
/// parameters by position, and every compiler-invented name (<c>&lt;get_Train&gt;b__21_0</c>,
/// <c>&lt;&gt;c__DisplayClass23_0</c>, <c>&lt;x&gt;5__2</c>) written as a placeholder whose raw spelling is
/// collected aside, because those ordinals shift whenever anything earlier in the class changes.
/// </summary>
internal static class CanonicalNames
{
    /// <summary>Stands in the text for one invented name; the caller numbers the collected names.</summary>
    public const char InventedPlaceholder = '\u0001';

    /// <summary>
    /// True for names the compiler invents with unstable ordinals. <c>&lt;PrivateImplementationDetails&gt;</c>
    /// stays (its members are named by the hash of the array data they hold) and so do auto-property backing
    /// fields (named after their property, which is stable and meaningful).
    /// </summary>
    public static bool IsInvented(string name) =>
        name.Contains('<', StringComparison.Ordinal)
        && !name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal)
        && name != "<Module>"
        && !name.EndsWith(">k__BackingField", StringComparison.Ordinal);

    /// <summary>Raw, readable spelling for explain output and debugging (invented names kept as they are).</summary>
    public static string Display(MethodBase method)
    {
        var text = new StringBuilder();
        AppendMethod(text, method, invented: null);
        return text.ToString();
    }

    public static void AppendMethod(StringBuilder text, MethodBase method, List<string>? invented)
    {
        if (method.IsStatic)
            text.Append("static ");
        AppendDeclaringType(text, method.DeclaringType, invented);
        text.Append("::");
        AppendName(text, method.Name, MemberKey(method.DeclaringType, method.Name), invented);
        if (method.IsGenericMethodDefinition)
        {
            text.Append("``").Append(method.GetGenericArguments().Length);
        }
        else if (method.IsGenericMethod)
        {
            AppendTypeList(text, '<', method.GetGenericArguments(), '>', invented);
        }

        text.Append('(');
        var parameters = method.GetParameters();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
                text.Append(',');
            AppendType(text, parameters[i].ParameterType, invented);
        }

        text.Append(')');
        if (method is MethodInfo info)
        {
            text.Append(':');
            AppendType(text, info.ReturnType, invented);
        }
    }

    public static void AppendField(StringBuilder text, FieldInfo field, List<string>? invented)
    {
        if (field.IsStatic)
            text.Append("static ");
        AppendDeclaringType(text, field.DeclaringType, invented);
        text.Append("::");
        AppendName(text, field.Name, MemberKey(field.DeclaringType, field.Name), invented);
        text.Append(':');
        AppendType(text, field.FieldType, invented);
    }

    public static void AppendType(StringBuilder text, Type type, List<string>? invented)
    {
        if (type.IsGenericParameter)
        {
            text.Append(type.IsGenericMethodParameter ? "!!" : "!").Append(type.GenericParameterPosition);
        }
        else if (type.IsByRef)
        {
            AppendType(text, type.GetElementType()!, invented);
            text.Append('&');
        }
        else if (type.IsPointer)
        {
            AppendType(text, type.GetElementType()!, invented);
            text.Append('*');
        }
        else if (type.IsArray)
        {
            AppendType(text, type.GetElementType()!, invented);
            text.Append('[').Append(',', type.IsSZArray ? 0 : type.GetArrayRank() - 1).Append(']');
        }
        else if (type.IsFunctionPointer)
        {
            text.Append(type.IsUnmanagedFunctionPointer ? "unmanaged fnptr" : "fnptr");
            AppendTypeList(text, '(', type.GetFunctionPointerParameterTypes(), ')', invented);
            text.Append(':');
            AppendType(text, type.GetFunctionPointerReturnType(), invented);
        }
        else if (type.IsConstructedGenericType)
        {
            AppendType(text, type.GetGenericTypeDefinition(), invented);
            AppendTypeList(text, '<', type.GetGenericArguments(), '>', invented);
        }
        else
        {
            if (type.DeclaringType is { } outer)
            {
                AppendType(text, outer, invented);
                text.Append('+');
            }
            else if (!string.IsNullOrEmpty(type.Namespace))
            {
                text.Append(type.Namespace).Append('.');
            }

            AppendName(text, type.Name, TypeKey(type), invented);
        }
    }

    private static void AppendDeclaringType(StringBuilder text, Type? type, List<string>? invented)
    {
        if (type is null)
            text.Append("<Module>");
        else
            AppendType(text, type, invented);
    }

    private static void AppendTypeList(StringBuilder text, char open, Type[] types, char close, List<string>? invented)
    {
        text.Append(open);
        for (var i = 0; i < types.Length; i++)
        {
            if (i > 0)
                text.Append(',');
            AppendType(text, types[i], invented);
        }

        text.Append(close);
    }

    private static void AppendName(StringBuilder text, string name, string key, List<string>? invented)
    {
        if (invented is null || !IsInvented(name))
        {
            text.Append(name);
            return;
        }

        text.Append(InventedPlaceholder);
        invented.Add(key);
    }

    // Keys identify an invented name across the whole walk: the same closure class or lambda seen from two
    // methods must get the same number, two different `<>c` classes must not.
    private static string TypeKey(Type type)
    {
        var definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
        return definition.DeclaringType is { } outer
            ? TypeKey(outer) + "+" + definition.Name
            : definition.Namespace + "." + definition.Name;
    }

    private static string MemberKey(Type? declaringType, string name) =>
        (declaringType is null ? "<Module>" : TypeKey(declaringType)) + "::" + name;
}
