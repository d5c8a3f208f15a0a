using System.Diagnostics;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

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
    /// <remarks>
    /// Read from the file's metadata, not by loading it: a no-op build checks every ML target's fingerprint, and loading
    /// ML.NET's ten assemblies only to read an attribute cost more than the check itself. An assembly the host does not
    /// list (not among the trusted platform assemblies) is loaded as before.
    /// </remarks>
    public static string PackageVersion(string assemblyName)
    {
        if (TrustedPath(assemblyName) is { } path && VersionFromMetadata(path) is { } version)
            return version;
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

    static string? TrustedPath(string assemblyName) =>
        (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string)?.Split(Path.PathSeparator)
            .FirstOrDefault(p => string.Equals(Path.GetFileNameWithoutExtension(p), assemblyName, StringComparison.OrdinalIgnoreCase));

    /// <summary>What <see cref="PackageVersion"/> reads from a loaded assembly, from the file: null when the file is no assembly.</summary>
    internal static string? VersionFromMetadata(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata) return null;
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly) return null;
            var assembly = metadata.GetAssemblyDefinition();
            foreach (var handle in assembly.GetCustomAttributes())
            {
                var attribute = metadata.GetCustomAttribute(handle);
                if (!IsInformationalVersion(metadata, attribute)) continue;
                var value = metadata.GetBlobReader(attribute.Value);
                if (value.ReadUInt16() != 1) break; // the custom attribute prolog
                var informational = value.ReadSerializedString();
                if (informational is { Length: > 0 }) return informational.Split('+')[0];
                break;
            }
            return assembly.Version.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }
    }

    static bool IsInformationalVersion(MetadataReader metadata, CustomAttribute attribute)
    {
        EntityHandle type;
        if (attribute.Constructor.Kind == HandleKind.MemberReference) type = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        else if (attribute.Constructor.Kind == HandleKind.MethodDefinition) type = metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
        else return false;
        StringHandle name, ns;
        if (type.Kind == HandleKind.TypeReference)
        {
            var reference = metadata.GetTypeReference((TypeReferenceHandle)type);
            (name, ns) = (reference.Name, reference.Namespace);
        }
        else if (type.Kind == HandleKind.TypeDefinition)
        {
            var definition = metadata.GetTypeDefinition((TypeDefinitionHandle)type);
            (name, ns) = (definition.Name, definition.Namespace);
        }
        else return false;
        return !name.IsNil && metadata.StringComparer.Equals(name, nameof(AssemblyInformationalVersionAttribute))
            && metadata.StringComparer.Equals(ns, "System.Reflection");
    }
}
