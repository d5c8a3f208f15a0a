using System.Linq.Expressions;

namespace MLOps.Pipelines.Internal.Building;

/// <summary>Reads the target name out of <c>x => x.Train</c> (or <c>x => ((ITrain)x).Train</c>).</summary>
internal static class TargetExpression
{
    public static string MemberName<T>(Expression<Func<T, Target>> expression)
    {
        var body = expression.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : expression.Body;
        return body is MemberExpression member
            ? member.Member.Name[(member.Member.Name.LastIndexOf('.') + 1)..]
            : throw new BuildConfigurationException($"The default target must be written as x => x.Target, not {expression}.");
    }
}
