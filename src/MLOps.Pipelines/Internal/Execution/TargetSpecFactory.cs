using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using MLOps.Pipelines.Internal.Building;
using MLOps.Pipelines.Internal.Fingerprints;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// What the fingerprint of a target is made of: its declared inputs and outputs, the non-secret parameters its code
/// reads (found in its IL — fields, and component parameters' getters — plus <c>Reads(...)</c>), its code hash (with
/// the runtime values of the build's readonly fields it reads), its <c>Version</c>, the runtime, and the package
/// versions of the tools that the assemblies its code reaches declare with <see cref="FingerprintedToolsAttribute"/>.
/// The instances of a family share their code hash; the instance's name (with its key) sets their fingerprints apart.
/// </summary>
internal sealed class TargetSpecFactory(
    object build, IReadOnlyList<ResolvedParameter> parameters, CodeFingerprinter fingerprinter, CodeAnalysisCache analyses,
    ToolVersions toolVersions)
{
    readonly Dictionary<MemberInfo, ResolvedParameter> _parameterFields = parameters
        .Where(p => p.Member.Field is not null)
        .ToDictionary(p => (MemberInfo)p.Member.Field!, p => p, MetadataDefinitionComparer.Instance);
    readonly Dictionary<MemberInfo, ResolvedParameter> _parameterGetters = parameters
        .Where(p => p.Member.Getter is not null)
        .ToDictionary(p => (MemberInfo)p.Member.Getter!, p => p, MetadataDefinitionComparer.Instance);

    public static TargetSpecFactory Create(object build, TargetGraph graph, IReadOnlyList<ResolvedParameter> parameters, AbsolutePath root, Action<string>? warn = null)
    {
        var own = Building.OwnAssemblies.Of(build.GetType().Assembly);
        var getters = graph.Targets.Select(t => (MethodBase)t.Getter).ToHashSet(MetadataDefinitionComparer.Instance);
        var fingerprinter = new CodeFingerprinter(own, getters.Contains);
        return new TargetSpecFactory(build, parameters, fingerprinter, CodeAnalysisCache.Load(root, own, warn), new ToolVersions(build.GetType().Assembly, own));
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
            toolVersions.For(code.Assemblies ?? []),
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
        // A component parameter has no field: its getter being called is the read.
        foreach (var method in code.MethodsWalked)
            if (_parameterGetters.TryGetValue(method, out var parameter)) parameterNames.Add(parameter.Member.Name);
        var assemblies = code.MethodsWalked.Select(m => m.Module.Assembly.GetName().Name!).Distinct().Order(StringComparer.Ordinal).ToList();
        return new CodeAnalysis(code.Hash, [.. parameterNames], [.. fieldNames], assemblies);
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
}
