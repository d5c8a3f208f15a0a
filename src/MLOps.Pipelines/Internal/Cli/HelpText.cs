using System.Text;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Cli;

/// <summary><c>--help</c>: targets with dependencies and descriptions (the default marked), parameters, options.</summary>
internal static class HelpText
{
    public static string Render(TargetGraph graph, IReadOnlyList<string> defaultTargets, IReadOnlyList<ResolvedParameter> parameters)
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: ./build.sh [targets] [--parameter value …] [options]");
        text.AppendLine();
        text.AppendLine("Targets (→ dependencies; * default):");
        var listed = graph.Targets.Where(t => !t.Definition.IsUnlisted).ToList();
        var width = listed.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var target in listed)
        {
            var isDefault = defaultTargets.Contains(target.Name, StringComparer.OrdinalIgnoreCase)
                || (target.Family is { } family && defaultTargets.Contains(family, StringComparer.OrdinalIgnoreCase));
            var mark = isDefault ? "*" : " ";
            var dependencies = target.Dependencies.Count == 0 ? "" : " → " + string.Join(", ", target.Dependencies.Select(d => d.Name));
            var description = target.Definition.DescriptionText is { } d2 ? "  " + d2 : "";
            text.AppendLine($"  {mark}{target.Name.PadRight(width)}{description}{dependencies}");
        }
        var families = graph.Families.Where(f => f.Value.Any(i => !i.Definition.IsUnlisted)).Select(f => f.Key).ToList();
        if (families.Count > 0)
            text.AppendLine($"Families (name@key; the name alone runs every instance): {string.Join(", ", families)}");
        if (defaultTargets.Count > 0)
            text.AppendLine($"With no target named: {string.Join(" ", defaultTargets)}");
        text.AppendLine();
        text.AppendLine("Parameters (command line, .nuke/parameters[.<profile>].json, or environment):");
        if (parameters.Count == 0) text.AppendLine("  (none)");
        var flagWidth = parameters.Select(p => p.Member.CliName.Length + ParameterValueConverter.ShortName(p.Member.ValueType).Length).DefaultIfEmpty(0).Max() + 8;
        foreach (var parameter in parameters)
        {
            var member = parameter.Member;
            var flag = $"--{member.CliName} <{ParameterValueConverter.ShortName(member.ValueType)}>";
            var value = member.IsSecret ? "secret" : parameter.Value is null ? "no default" : $"default: {ParameterValueConverter.Format(parameter.Value)}";
            if (parameter.Source != "default" && !member.IsSecret) value = $"now: {ParameterValueConverter.Format(parameter.Value)} from {parameter.Source}";
            var enumValues = (Nullable.GetUnderlyingType(member.ValueType) ?? member.ValueType) is { IsEnum: true } e ? $" [{string.Join(", ", Enum.GetNames(e))}]" : "";
            var range = member.Constraints.DescribeRange() is { Length: > 0 } r ? $"; allowed: {r}" : "";
            text.AppendLine($"  {flag.PadRight(flagWidth)}{member.Description}{enumValues} ({value}{range}; env {member.EnvironmentName})");
        }
        text.AppendLine();
        text.AppendLine("Options:");
        var optionWidth = CommandLine.EngineOptions.Max(o => o.Name.Length) + 2;
        foreach (var (name, help) in CommandLine.EngineOptions)
            text.AppendLine($"  --{name.PadRight(optionWidth)}{help}");
        text.AppendLine();
        text.AppendLine("Progress: a line per target start and end; within long steps a status line on a terminal, else a plain line");
        text.AppendLine("per step at most every MLOPS_PROGRESS_INTERVAL seconds (default 10).");
        text.AppendLine("Exit codes: 0 success, 1 a target failed, 2 bad usage or configuration.");
        return text.ToString();
    }
}
