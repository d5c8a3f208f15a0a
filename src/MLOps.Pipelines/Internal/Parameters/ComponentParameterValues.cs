using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using MLOps.Pipelines.Internal.Fingerprints;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>
/// The resolved values of parameters declared on component interfaces (which have no field to hold them), per build
/// instance: the resolver sets them, <see cref="IPipelineBuild.GetValue{T}"/> reads them.
/// </summary>
internal static class ComponentParameterValues
{
    static readonly ConditionalWeakTable<object, ConcurrentDictionary<MemberInfo, object?>> s_values = new();

    public static T Get<T>(object build, Expression<Func<T>> parameter, T defaultValue)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var member = MemberOf(parameter);
        return s_values.TryGetValue(build, out var values) && values.TryGetValue(member, out var value) ? (T)value! : defaultValue;
    }

    public static void Set(object build, MemberInfo member, object? value) =>
        s_values.GetValue(build, _ => new ConcurrentDictionary<MemberInfo, object?>(MetadataDefinitionComparer.Instance))[member] = value;

    static MemberInfo MemberOf(LambdaExpression parameter) =>
        (parameter.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : parameter.Body) is MemberExpression member
            ? member.Member
            : throw new BuildConfigurationException($"GetValue takes the parameter's own property, as in GetValue(() => Trees, 250); not {parameter}.");
}
