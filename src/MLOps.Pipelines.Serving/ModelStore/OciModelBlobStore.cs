using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Registry;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.Serving.ModelStore;

/// <summary>
/// Model binaries in an OCI registry — the one the images go to — as OCI artifacts (image-spec 1.1 "guidelines for
/// artifact usage"): a manifest with <see cref="ArtifactType"/>, the empty config <c>{}</c> and the model file as its one
/// layer, tagged <c>sha256-&lt;digest&gt;</c> so the registry keeps it and anyone can name it. Fetches go straight to the
/// blob by its digest and are verified; nothing is trusted that does not hash to the digest asked for.
/// </summary>
public sealed class OciModelBlobStore : IModelBlobStore, IDisposable
{
    /// <summary>The manifest's artifactType: an ML.NET model file registered by MLOps.Pipelines.</summary>
    public const string ArtifactType = "application/vnd.mlops-pipelines.model.v1";

    /// <summary>The media type of the model layer (the ML.NET model zip).</summary>
    public const string ModelMediaType = "application/vnd.mlops-pipelines.model.layer.v1+zip";

    /// <summary>The image-spec's empty descriptor: the config of an artifact that needs none.</summary>
    public const string EmptyMediaType = "application/vnd.oci.empty.v1+json";

    /// <summary>The largest blob a fetch reads; a registry answering more is refused.</summary>
    public const long MaxModelBytes = 8L << 30;

    static readonly byte[] EmptyJson = "{}"u8.ToArray();
    readonly OciRegistryClient _client;
    readonly bool _ownsClient;

    public OciModelBlobStore(ImageReference repository, OciRegistryClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (repository.Tag is not null)
            throw new ArgumentException($"A model store is a repository, not a tagged image: drop ':{repository.Tag}' from {repository}.", nameof(repository));
        Repository = repository;
        _client = client ?? new OciRegistryClient();
        _ownsClient = client is null;
    }

    public ImageReference Repository { get; }

    public string Location => $"oci://{Repository.Registry}/{Repository.Repository}";

    /// <summary>The artifact's reference, by the tag that names its digest: <c>oci://host:port/repo:sha256-&lt;hex&gt;</c>.</summary>
    public string? LocationOf(string digest) => $"{Location}:{TagOf(digest)}";

    /// <summary>The tag an artifact is kept under: its model's digest (<c>sha256-&lt;hex&gt;</c>, as cosign names its tags).</summary>
    public static string TagOf(string digest) => $"sha256-{digest}";

    public string Put(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"Cannot store model file '{filePath}': it does not exist.", filePath);
        var digest = OciDigest.Hex(OciDigest.OfFile(filePath));
        var model = new OciDescriptor(ModelMediaType, "sha256:" + digest, new FileInfo(filePath).Length);
        var empty = new OciDescriptor(EmptyMediaType, OciDigest.Of(EmptyJson), EmptyJson.Length);
        var manifest = Manifest(model, empty, Path.GetFileName(filePath));
        Call($"push {Path.GetFileName(filePath)} (sha256 {digest})", async () =>
        {
            await _client.UploadBlobAsync(Repository, empty, EmptyJson);
            await _client.UploadBlobAsync(Repository, model, filePath);
            await _client.PutManifestAsync(Repository, TagOf(digest), manifest, OciMediaTypes.Manifest);
        });
        return digest;
    }

    public bool TryGet(string digest, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        if (digest is not { Length: 64 } || !digest.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw new ArgumentException($"'{digest}' is not a SHA-256 digest: expected 64 lowercase hex characters.", nameof(digest));
        var destination = Path.GetFullPath(destinationPath);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = $"{destination}.{Guid.NewGuid():N}.tmp";
        try
        {
            var found = false;
            Call($"fetch sha256 {digest}", async () =>
            {
                await using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                found = await _client.DownloadBlobAsync(Repository, "sha256:" + digest, file, MaxModelBytes);
            });
            if (!found) return false;
            var actual = OciDigest.Hex(OciDigest.OfFile(temporary));
            if (actual != digest)
                throw new CorruptModelBlobException($"{Location}@sha256:{digest}", digest, actual);
            File.Move(temporary, destination, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// The artifact manifest, byte for byte the same for the same model (no timestamps): the registry's tag and the
    /// manifest digest do not move when a model is stored twice.
    /// </summary>
    internal static byte[] Manifest(OciDescriptor model, OciDescriptor empty, string fileName)
    {
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.Manifest,
            ["artifactType"] = ArtifactType,
            ["config"] = new JsonObject
            {
                ["mediaType"] = empty.MediaType, ["digest"] = empty.Digest, ["size"] = empty.Size, ["data"] = Convert.ToBase64String(EmptyJson),
            },
            ["layers"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = model.MediaType,
                ["digest"] = model.Digest,
                ["size"] = model.Size,
                ["annotations"] = new JsonObject { ["org.opencontainers.image.title"] = fileName },
            }),
        };
        return Encoding.UTF8.GetBytes(manifest.ToJsonString());
    }

    void Call(string what, Func<Task> action)
    {
        try
        {
            // IModelBlobStore is synchronous (the registry's work is file work under a lock); targets run without a
            // synchronization context, so blocking on the HTTP calls here cannot deadlock.
            action().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or TaskCanceledException or IOException)
        {
            throw new ModelRegistryException($"{Location}: cannot {what}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}
