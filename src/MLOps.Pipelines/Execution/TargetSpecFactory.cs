using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using MLOps.Pipelines.Caching;
using MLOps.Pipelines.Fingerprints;
using MLOps.Pipelines.Graph;
using MLOps.Pipelines.Parameters;

namespace MLOps.Pipelines.Execution;

/// <summary>
/// What the fingerprint of a target is made of: its declared inputs and outputs, the non-secret parameters its code
/// reads (found in its IL, plus <c>Reads(...)</c>), its code hash (with the runtime values of the build's readonly
/// fields it reads), its <c>Version</c>, and the versions of the runtime and the ML libraries.
/// </summary>
internal sealed class TargetSpecFactory(
    object build, IReadOnlyList<ResolvedParameter> parameters, CodeFingerprinter fingerprinter, CodeAnalysisCache analyses,
    IReadOnlyDictionary<string, string> toolVersions)
{
    readonly Dictionary<MemberInfo, ResolvedParameter> _parameterFields = parameters
        .Where(p => p.Member.Field is not null)
        .ToDictionary(p => (MemberInfo)p.Member.Field!, p => p, MetadataDefinitionComparer.Instance);

    public static TargetSpecFactory Create(object build, TargetGraph graph, IReadOnlyList<ResolvedParameter> parameters, AbsolutePath root, Action<string>? warn = null)
    {
        var own = Building.OwnAssemblies.Of(build.GetType().Assembly);
        var getters = graph.Targets.Select(t => (MethodBase)t.Getter).ToHashSet(MetadataDefinitionComparer.Instance);
        var fingerprinter = new CodeFingerprinter(own, getters.Contains);
        return new TargetSpecFactory(build, parameters, fingerprinter, CodeAnalysisCache.Load(root, own, warn), ToolVersions(build.GetType().Assembly));
    }

    /// <summary>Writes newly analysed targets to the state, so the next process on the same assemblies skips the IL walk.</summary>
    public void Save() => analyses.Save();

    public TargetSpec Create(TargetNode node)
    {
        var definition = node.Definition;
        var code = analyses.GetOrAdd(node.Name, () => Analyze(node));

        var read = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in code.Parameters.Concat(definition.ExplicitReads))
        {
            var parameter = parameters.FirstOrDefault(p => string.Equals(p.Member.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BuildConfigurationException($"Target '{node.Name}' Reads(\"{name}\"), which is not a parameter of the build.");
            if (!parameter.Member.IsSecret) read[parameter.Member.Name] = ParameterValueConverter.Format(parameter.Value);
        }
        // A readonly field of the build is configuration, like a parameter: hash its value, not its constructor.
        var fieldValues = code.Fields.Select(name => $"{name}={Describe(FieldValue(name))}").ToList();
        var codeHash = fieldValues.Count == 0
            ? code.Hash
            : ContentHash.Xxh3(System.Text.Encoding.UTF8.GetBytes(code.Hash + "\n" + string.Join("\n", fieldValues)));
        return new TargetSpec(
            node.Name,
            definition.InputPaths.Select(p => p.ToString()).ToList(),
            read,
            codeHash,
            definition.VersionText,
            toolVersions,
            definition.OutputPaths.Select(p => p.ToString()).ToList());
    }

    /// <summary>Walks the target's IL: its code hash, the parameters and the build's readonly fields it reads.</summary>
    CodeAnalysis Analyze(TargetNode node)
    {
        var roots = new List<MethodBase> { node.Getter };
        roots.AddRange(node.Definition.Actions.Select(a => a.Method));
        var code = fingerprinter.Compute(roots);
        var parameterNames = new SortedSet<string>(StringComparer.Ordinal);
        var fieldNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var field in code.FieldsRead)
        {
            if (_parameterFields.TryGetValue(field, out var parameter)) parameterNames.Add(parameter.Member.Name);
            else if (field is { IsInitOnly: true, IsStatic: false } && field.DeclaringType!.IsAssignableFrom(build.GetType())) fieldNames.Add(field.Name);
        }
        return new CodeAnalysis(code.Hash, [.. parameterNames], [.. fieldNames]);
    }

    object? FieldValue(string name)
    {
        for (var type = build.GetType(); type is not null; type = type.BaseType)
            if (type.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { } field)
                return field.GetValue(build);
        return null;
    }

    static string Describe(object? value)
    {
        if (value is null or string or IFormattable or bool or Array) return ParameterValueConverter.Format(value);
        try { return JsonSerializer.Serialize(value); }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException) { return value.ToString() ?? ""; }
    }

    /// <summary>The runtime, the build's configuration (Debug and Release IL differ) and the ML libraries' versions.</summary>
    static IReadOnlyDictionary<string, string> ToolVersions(Assembly buildAssembly)
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["dotnet"] = Environment.Version.ToString(),
            ["configuration"] = buildAssembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true ? "Debug" : "Release",
        };
        string[] tracked = ["Microsoft.ML", "Microsoft.ML.LightGbm", "Microsoft.ML.FastTree", "Microsoft.ML.OnnxConverter", "Microsoft.ML.OnnxRuntime", "Parquet.Net", "Parquet", "Microsoft.Data.Analysis"];
        foreach (var assembly in Building.OwnAssemblies.Of(buildAssembly))
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => tracked.Contains(r.Name)))
                versions[reference.Name!] = reference.Version?.ToString() ?? "?";
        return versions;
    }
}
