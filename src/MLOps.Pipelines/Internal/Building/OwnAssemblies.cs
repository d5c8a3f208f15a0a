using System.Reflection;
using System.Text.Json;

namespace MLOps.Pipelines.Internal.Building;

/// <summary>
/// The repository's own assemblies, whose code the fingerprint walks: the build assembly and every project it
/// references (read from its <c>.deps.json</c>, where projects are <c>"type": "project"</c>), but not this engine,
/// which is a tool like the SDK (its edits would otherwise invalidate every target).
/// </summary>
internal static class OwnAssemblies
{
    public static IReadOnlyList<Assembly> Of(Assembly buildAssembly)
    {
        var own = new List<Assembly> { buildAssembly };
        var engine = typeof(OwnAssemblies).Assembly.GetName().Name;
        foreach (var name in ProjectNames(buildAssembly).Where(n => n != engine && n != buildAssembly.GetName().Name))
        {
            try { own.Add(Assembly.Load(new AssemblyName(name))); }
            catch (FileNotFoundException) { }
        }
        return own;
    }

    static IEnumerable<string> ProjectNames(Assembly buildAssembly)
    {
        var depsFile = Path.ChangeExtension(buildAssembly.Location, ".deps.json");
        if (string.IsNullOrEmpty(buildAssembly.Location) || !File.Exists(depsFile)) return [];
        using var document = JsonDocument.Parse(File.ReadAllText(depsFile));
        if (!document.RootElement.TryGetProperty("libraries", out var libraries)) return [];
        return libraries.EnumerateObject()
            .Where(l => l.Value.TryGetProperty("type", out var type) && type.GetString() == "project")
            .Select(l => l.Name.Split('/')[0])
            .ToList();
    }
}
