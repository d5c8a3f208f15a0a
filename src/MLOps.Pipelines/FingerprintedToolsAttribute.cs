namespace MLOps.Pipelines;

/// <summary>
/// Put on a library of the repository (<c>[assembly: FingerprintedTools("Microsoft.ML.Core", …)]</c>) to name the
/// assemblies whose behaviour its code depends on: the package (informational) version of each enters the fingerprint
/// of every target whose code reaches this library, so upgrading the package re-runs exactly those targets. Package
/// versions rather than assembly versions, because libraries such as ML.NET pin their assembly version (1.0.0.0).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class FingerprintedToolsAttribute(params string[] assemblyNames) : Attribute
{
    /// <summary>Assembly names as loaded at run time (<c>Microsoft.ML.Data</c>, <c>Parquet</c>), not package ids.</summary>
    public IReadOnlyList<string> AssemblyNames { get; } = assemblyNames;
}
