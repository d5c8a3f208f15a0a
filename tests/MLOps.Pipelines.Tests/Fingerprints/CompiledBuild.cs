using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Fingerprints;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Fingerprints;

/// <summary>
/// A build class compiled in memory (deterministic Release, same assembly name for every variant), loaded
/// into its own collectible context and fingerprinted the way the runner does: roots are the target getter
/// and the delegates the target passes to Executes; other targets' getters are boundaries.
/// </summary>
internal sealed class CompiledBuild : IDisposable
{
    private const string AssemblyName = "Sample.Build";

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == runtimeDirectory)
            .Select(path => MetadataReference.CreateFromFile(path))];
    });

    private static readonly ConcurrentDictionary<string, byte[]> Images = new(StringComparer.Ordinal);

    private readonly AssemblyLoadContext context;
    private readonly Type buildType;

    public CompiledBuild(string source)
    {
        Image = Images.GetOrAdd(source, Compile);
        context = new AssemblyLoadContext("fingerprint-variant", isCollectible: true);
        Assembly = context.LoadFromStream(new MemoryStream(Image));
        buildType = Assembly.GetType("Sample.Build", throwOnError: true)!;
        Fingerprinter = new CodeFingerprinter([Assembly], IsTargetGetter);
    }

    public byte[] Image { get; }

    public Assembly Assembly { get; }

    public CodeFingerprinter Fingerprinter { get; }

    public IEnumerable<string> TargetNames =>
        buildType.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(property => property.PropertyType.Name == "Target")
            .Select(property => property.Name)
            .Order(StringComparer.Ordinal);

    public CodeFingerprint Fingerprint(string target) => Fingerprinter.Compute(Roots(target));

    public IReadOnlyList<MethodBase> Roots(string target)
    {
        var property = buildType.GetProperty(target) ?? throw new ArgumentException($"No target {target}", nameof(target));
        var build = Activator.CreateInstance(buildType)!;
        var definition = (Delegate)property.GetValue(build)!;
        var recorder = Activator.CreateInstance(Assembly.GetType("Sample.Recorder", throwOnError: true)!)!;
        definition.DynamicInvoke(recorder);
        var actions = (List<Delegate>)recorder.GetType().GetField("Actions")!.GetValue(recorder)!;
        return [property.GetMethod!, .. actions.Select(action => action.Method)];
    }

    /// <summary>The IL of the (single) Executes delegate of a target, to prove a variant changed nothing else.</summary>
    public byte[] ExecutesIl(string target) => Roots(target)[1].GetMethodBody()!.GetILAsByteArray()!;

    public FieldInfo BuildField(string name) =>
        buildType.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new ArgumentException($"No field {name}", nameof(name));

    public Type Type(string name) => Assembly.GetType(name, throwOnError: true)!;

    public void Dispose() => context.Unload();

    private static bool IsTargetGetter(MethodBase method) =>
        method is MethodInfo { IsSpecialName: true } getter
        && getter.Name.StartsWith("get_", StringComparison.Ordinal)
        && getter.ReturnType.Name == "Target";

    private static byte[] Compile(string source)
    {
        var compilation = CSharpCompilation.Create(
            AssemblyName,
            [CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest))],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                optimizationLevel: OptimizationLevel.Release,
                deterministic: true,
                allowUnsafe: true));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("Sample build does not compile:\n" + string.Join('\n',
                result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return image.ToArray();
    }
}
