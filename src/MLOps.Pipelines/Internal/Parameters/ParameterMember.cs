using System.Reflection;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>One <c>[Parameter]</c> field or property of a build, with the names it is known by.</summary>
internal sealed class ParameterMember
{
    readonly MemberInfo _member;

    ParameterMember(MemberInfo member, ParameterAttribute attribute, Type valueType, bool isSecret)
    {
        _member = member;
        Name = attribute.Name ?? member.Name;
        Description = attribute.Description;
        ValueType = valueType;
        IsSecret = isSecret;
        Constraints = ParameterConstraints.From(attribute);
        CliName = ParameterNames.ToKebabCase(Name);
        EnvironmentName = ParameterNames.ToEnvironmentName(Name);
        Field = member switch
        {
            FieldInfo field => field,
            PropertyInfo property => property.DeclaringType!.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic),
            _ => null,
        };
        if (member is PropertyInfo { DeclaringType.IsInterface: true } componentProperty) Getter = componentProperty.GetMethod;
    }

    public string Name { get; }
    public string CliName { get; }
    public string EnvironmentName { get; }
    public string? Description { get; }
    public Type ValueType { get; }
    public bool IsSecret { get; }
    /// <summary>Range, finiteness and existence rules from the attribute.</summary>
    public ParameterConstraints Constraints { get; }
    /// <summary>The field that holds the value (an auto-property's backing field), which the code fingerprint sees read.</summary>
    public FieldInfo? Field { get; }
    /// <summary>
    /// For a parameter declared on a component interface (<c>int Trees => GetValue(() => Trees, 250);</c>): its getter,
    /// which the code fingerprint sees called. Its value lives in <see cref="ComponentParameterValues"/>.
    /// </summary>
    public MethodInfo? Getter { get; }

    public object? GetValue(object build) => _member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

    public void SetValue(object build, object? value)
    {
        switch (_member)
        {
            case FieldInfo field:
                field.SetValue(build, value);
                break;
            case PropertyInfo { CanWrite: true } property:
                property.SetValue(build, value);
                break;
            case PropertyInfo when Getter is not null:
                ComponentParameterValues.Set(build, _member, value);
                break;
            default:
                (Field ?? throw new BuildConfigurationException(
                        $"Parameter '{Name}' is a property with neither a setter nor a backing field; make it an auto-property or a field."))
                    .SetValue(build, value);
                break;
        }
    }

    /// <summary>
    /// Every <c>[Parameter]</c> member declared on the build type and its base types, in declaration order, then those
    /// its component interfaces declare with a body (by interface name, then declaration order).
    /// </summary>
    public static IReadOnlyList<ParameterMember> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        var members = new List<ParameterMember>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(IEnumerable<MemberInfo> declared)
        {
            foreach (var member in declared.OrderBy(m => m.MetadataToken))
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute) continue;
                var valueType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
                var parameter = new ParameterMember(member, attribute, valueType, member.IsDefined(typeof(SecretAttribute)));
                if (seen.Add(parameter.Name)) members.Add(parameter);
            }
        }
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            Add(type.GetFields(flags).Cast<MemberInfo>().Concat(type.GetProperties(flags)));
        foreach (var component in buildType.GetInterfaces().OrderBy(i => i.FullName, StringComparer.Ordinal))
            Add(component.GetProperties(flags).Where(p => p.GetMethod is { IsAbstract: false }));
        return members;
    }
}
