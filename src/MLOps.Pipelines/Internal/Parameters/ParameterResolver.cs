using System.Collections;
using System.Text.Json;
using MLOps.Pipelines.Internal.Cli;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>Where a parameter's value came from, for error messages and <c>--help</c>.</summary>
internal sealed record ResolvedParameter(ParameterMember Member, object? Value, string Source);

/// <summary>
/// Resolves every parameter in order: command line → <c>.nuke/parameters.&lt;profile&gt;.json</c> (later profiles win) →
/// <c>.nuke/parameters.json</c> → environment → the member's default. A value that does not convert stops the build
/// before any target runs.
/// </summary>
internal sealed class ParameterResolver(AbsolutePath root, IReadOnlyDictionary<string, string> environment)
{
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    public IReadOnlyList<ResolvedParameter> Resolve(object build, IReadOnlyList<ParameterMember> members, CommandLine commandLine)
    {
        var byKey = members.ToDictionary(m => ParameterNames.Key(m.Name));
        foreach (var (key, argument) in commandLine.Parameters)
        {
            if (!byKey.ContainsKey(key))
            {
                var known = members.Select(m => "--" + m.CliName).Concat(CommandLine.EngineOptions.Select(o => "--" + o.Name));
                throw new BuildConfigurationException(
                    $"Unknown option '{argument.Flag}'.{ClosestNames.Hint(argument.Flag, known)} Run ./build.sh --help for the list.");
            }
        }

        var files = commandLine.Profiles.Reverse()
            .Select(profile => ParameterFile.Load(root / ".nuke" / $"parameters.{profile}.json", required: true))
            .Append(ParameterFile.Load(root / ".nuke" / "parameters.json", required: false))
            .Where(f => f is not null)
            .Cast<ParameterFile>()
            .ToList();
        foreach (var file in files)
        {
            var unknown = file.Values.Keys.FirstOrDefault(k => !byKey.ContainsKey(k) && !k.StartsWith('$'));
            if (unknown is not null)
                throw new BuildConfigurationException(
                    $"{file.DisplayPath}: unknown parameter '{file.OriginalNames[unknown]}'.{ClosestNames.Hint(file.OriginalNames[unknown], members.Select(m => m.Name))} Remove it or fix its name.");
        }

        var converter = new ParameterValueConverter(root);
        var resolved = new List<ResolvedParameter>();
        foreach (var member in members)
        {
            var key = ParameterNames.Key(member.Name);
            (IReadOnlyList<string> Tokens, string Source)? found = null;
            if (commandLine.Parameters.TryGetValue(key, out var argument))
                found = (argument.Values, $"the command line ({argument.Flag})");
            else if (files.FirstOrDefault(f => f.Values.ContainsKey(key)) is { } file)
                found = (file.Values[key], file.DisplayPath);
            // An empty variable counts as unset: CI systems pass empty strings for inputs nobody filled in.
            else if ((NonEmpty(environment, member.EnvironmentName) ?? NonEmpty(environment, member.Name)) is { } env)
                found = ([env], $"the environment ({member.EnvironmentName})");

            if (found is not { } value)
            {
                var fallback = member.GetValue(build);
                Check(member, fallback, "the default", Shown(member, fallback));
                resolved.Add(new ResolvedParameter(member, fallback, "default"));
                continue;
            }
            if (!converter.TryConvert(value.Tokens, member.ValueType, out var converted))
            {
                var shown = member.IsSecret ? "(secret value hidden)" : $"'{string.Join(' ', value.Tokens)}'";
                throw new BuildConfigurationException(
                    $"Parameter '{member.Name}' from {value.Source}: {shown} is not valid; expected {ParameterValueConverter.Describe(member.ValueType)}, e.g. --{member.CliName} <value>.");
            }
            Check(member, converted, value.Source, member.IsSecret ? "(secret value hidden)" : $"'{string.Join(' ', value.Tokens)}'");
            member.SetValue(build, converted);
            resolved.Add(new ResolvedParameter(member, converted, value.Source));
        }
        return resolved;
    }

    /// <summary>A value of the right type that the parameter still does not allow (NaN, out of range, a missing path) is a usage error.</summary>
    static void Check(ParameterMember member, object? value, string source, string shown)
    {
        if (member.Constraints.Violation(value) is not { } violation) return;
        var fix = value is AbsolutePath
            ? $"Give an existing file or folder with --{member.CliName} <path>."
            : $"Pass e.g. --{member.CliName} <value>, or fix it in .nuke/parameters.json or {member.EnvironmentName}.";
        throw new BuildConfigurationException($"Parameter '{member.Name}' from {source}: {shown} {violation}. {fix}");
    }

    static string Shown(ParameterMember member, object? value) =>
        member.IsSecret ? "(secret value hidden)" : $"'{ParameterValueConverter.Format(value)}'";

    static string? NonEmpty(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

/// <summary>A <c>parameters*.json</c> file: member names to values (strings, numbers, booleans or arrays of them).</summary>
internal sealed record ParameterFile(string DisplayPath, IReadOnlyDictionary<string, IReadOnlyList<string>> Values, IReadOnlyDictionary<string, string> OriginalNames)
{
    public static ParameterFile? Load(AbsolutePath path, bool required)
    {
        var display = ".nuke/" + path.Name;
        if (!path.FileExists())
            return required ? throw new BuildConfigurationException($"Profile file {display} does not exist; create it or drop the --profile.") : null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new BuildConfigurationException($"{display}: expected a JSON object of parameter names to values.");
            var values = new Dictionary<string, IReadOnlyList<string>>();
            var names = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var key = ParameterNames.Key(property.Name);
                names[key] = property.Name;
                values[key] = property.Value.ValueKind == JsonValueKind.Array
                    ? property.Value.EnumerateArray().Select(Text).ToList()
                    : [Text(property.Value)];
            }
            return new ParameterFile(display, values, names);
        }
        catch (JsonException e)
        {
            throw new BuildConfigurationException($"{display} is not valid JSON (line {e.LineNumber + 1}): {e.Message.Split('.')[0]}. Fix the file.");
        }
    }

    static string Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };
}
