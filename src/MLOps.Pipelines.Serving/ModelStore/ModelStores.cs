using MLOps.Pipelines.Containers.Registry;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.Serving.ModelStore;

/// <summary>
/// The model store a <c>--model-store</c> value names, for one model: nothing → this machine's <c>.nuke/cache/models</c>;
/// <c>oci://host:port/repository</c> → that OCI registry (repository <c>&lt;repository&gt;/&lt;model&gt;</c>; <c>models</c>
/// when none is given), with the local folder as its cache; anything else → a folder (relative to the repository root).
/// </summary>
public static class ModelStores
{
    public const string OciScheme = "oci://";

    /// <summary>The repository under the registry when an <c>oci://</c> value names none.</summary>
    public const string DefaultRepository = "models";

    // One client for every store a build opens (RegistryOf is called per target): one connection pool, never disposed.
    static readonly Lazy<OciRegistryClient> SharedClient = new(() => new OciRegistryClient());

    public static IModelBlobStore Open(string? value, AbsolutePath rootDirectory, string modelName)
    {
        ArgumentNullException.ThrowIfNull(rootDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var local = FileSystemModelBlobStore.ForRepository(rootDirectory);
        if (string.IsNullOrWhiteSpace(value)) return local;
        var text = value.Trim();
        if (!text.StartsWith(OciScheme, StringComparison.OrdinalIgnoreCase))
        {
            if (text.Contains("://", StringComparison.Ordinal))
                throw Bad(text, "only oci:// is a known store scheme; give oci://host:port/repository or a folder");
            return new FileSystemModelBlobStore(AbsolutePath.Create(Path.GetFullPath(text, rootDirectory)));
        }
        return new CachedModelBlobStore(local, new OciModelBlobStore(Repository(text, modelName), SharedClient.Value));
    }

    /// <summary>The OCI repository of <paramref name="modelName"/> in the store an <c>oci://</c> value names.</summary>
    public static ImageReference Repository(string value, string modelName)
    {
        ArgumentNullException.ThrowIfNull(value);
        var rest = value.Trim()[OciScheme.Length..].TrimEnd('/');
        var slash = rest.IndexOf('/');
        var host = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? DefaultRepository : rest[(slash + 1)..];
        if (host.Length == 0) throw Bad(value, "it names no registry host; write oci://127.0.0.1:5000/models");
        try
        {
            return ImageReference.Of(host, $"{path}/{modelName}");
        }
        catch (FormatException e)
        {
            throw Bad(value, e.Message);
        }
    }

    static ArgumentException Bad(string value, string why) =>
        new($"--model-store '{value}': {why} (e.g. oci://127.0.0.1:5000/models, or a folder; default .nuke/cache/models).", "value");
}
