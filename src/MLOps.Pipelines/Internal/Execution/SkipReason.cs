using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// The sentence a false <c>OnlyWhenStatic</c>/<c>OnlyWhenDynamic</c> condition is reported with. A reason the build
/// wrote (<c>.OnlyWhenStatic(() => Env != null, "no --deploy-environment given")</c>) is used as it is; without one
/// the compiler's text of the lambda is turned into a sentence that names the parameter it reads, so the fix is seen.
/// </summary>
internal static class SkipReason
{
    public static string For(string conditionText, IReadOnlyList<ResolvedParameter> parameters)
    {
        if (!IsCode(conditionText)) return conditionText;
        var body = conditionText.Trim();
        var arrow = body.IndexOf("=>", StringComparison.Ordinal);
        if (body.StartsWith('(') && arrow > 0) body = body[(arrow + 2)..].Trim();
        var parameter = parameters.FirstOrDefault(p => ReadsName(body, p.Member.Name));
        var fix = parameter is null ? "" : $" (set it with --{parameter.Member.CliName})";
        return $"{body} is false{fix}";
    }

    /// <summary>The compiler's text of a lambda or method group, as opposed to a sentence the build wrote.</summary>
    static bool IsCode(string text) =>
        text.Contains("=>", StringComparison.Ordinal) || (text.Length > 0 && !text.Contains(' ', StringComparison.Ordinal));

    static bool ReadsName(string code, string name)
    {
        for (var i = code.IndexOf(name, StringComparison.Ordinal); i >= 0; i = code.IndexOf(name, i + 1, StringComparison.Ordinal))
        {
            var before = i == 0 || !(char.IsLetterOrDigit(code[i - 1]) || code[i - 1] == '_');
            var end = i + name.Length;
            var after = end == code.Length || !(char.IsLetterOrDigit(code[end]) || code[end] == '_');
            if (before && after) return true;
        }
        return false;
    }
}
