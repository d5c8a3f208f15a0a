using System.Reflection;

namespace MLOps.Pipelines.Parameters;

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
            default:
                (Field ?? throw new BuildConfigurationException(
                        $"Parameter '{Name}' is a property with neither a setter nor a backing field; make it an auto-property or a field."))
                    .SetValue(build, value);
                break;
        }
    }

    /// <summary>Every <c>[Parameter]</c> member declared on the build type and its base types, in declaration order.</summary>
    public static IReadOnlyList<ParameterMember> Discover(Type buildType)
    {
        var members = new List<ParameterMember>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var declared = type.GetFields(flags).Cast<MemberInfo>().Concat(type.GetProperties(flags)).OrderBy(m => m.MetadataToken);
            foreach (var member in declared)
            {
                if (member.GetCustomAttribute<ParameterAttribute>() is not { } attribute) continue;
                var valueType = member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;
                var parameter = new ParameterMember(member, attribute, valueType, member.IsDefined(typeof(SecretAttribute)));
                if (seen.Add(parameter.Name)) members.Add(parameter);
            }
        }
        return members;
    }
}
