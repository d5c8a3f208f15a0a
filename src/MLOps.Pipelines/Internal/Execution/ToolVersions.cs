using System.Diagnostics;
using System.Reflection;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// The tool versions of a target's fingerprint: the runtime, the build's configuration (Debug and Release IL differ),
/// and the package versions of the tools declared with <see cref="FingerprintedToolsAttribute"/> by the repository's
/// assemblies that the target's code reaches. Tools are loaded only when a target needs them.
/// </summary>
internal sealed class ToolVersions
{
    readonly SortedDictionary<string, string> _base;
    readonly Dictionary<string, Lazy<IReadOnlyDictionary<string, string>>> _declared = new(StringComparer.Ordinal);
    readonly string _buildAssembly;

    public ToolVersions(Assembly buildAssembly, IEnumerable<Assembly> ownAssemblies)
    {
        _buildAssembly = buildAssembly.GetName().Name!;
        _base = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["dotnet"] = Environment.Version.ToString(),
            ["configuration"] = buildAssembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true ? "Debug" : "Release",
        };
        foreach (var assembly in ownAssemblies)
        {
            var names = assembly.GetCustomAttributes<FingerprintedToolsAttribute>().SelectMany(a => a.AssemblyNames).ToList();
            if (names.Count > 0)
                _declared[assembly.GetName().Name!] = new Lazy<IReadOnlyDictionary<string, string>>(() => names.Distinct().ToDictionary(n => n, PackageVersion));
        }
    }

    /// <summary>The versions for a target whose code reaches the given assemblies (the build's own declarations always count).</summary>
    public IReadOnlyDictionary<string, string> For(IEnumerable<string> reachedAssemblies)
    {
        var versions = new SortedDictionary<string, string>(_base, StringComparer.Ordinal);
        foreach (var name in reachedAssemblies.Append(_buildAssembly))
            if (_declared.TryGetValue(name, out var tools))
                foreach (var (tool, version) in tools.Value) versions[tool] = version;
        return versions;
    }

    /// <summary>The assembly's informational version without its source-revision suffix (<c>5.0.1+abc123</c> → <c>5.0.1</c>): the package's version.</summary>
    public static string PackageVersion(string assemblyName)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(assemblyName));
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational is { Length: > 0 } ? informational.Split('+')[0] : assembly.GetName().Version?.ToString() ?? "unknown";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return "not found";
        }
    }
}
