using MLOps.Pipelines.ML.Catalog;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// Where delivery reads and writes for one pipeline: the pipeline, the prepared and ingested data (Export of the
/// champion checks parity on them and picks golden records from them), the server host project, a machine-local
/// work folder (this pipeline's view of the published server, images, live-server state; git-ignored), and a shared
/// folder every pipeline's Package uses at once (server publishes by source key, host bases, the layer cache).
/// </summary>
public sealed record DeliverySettings(
    PipelineDefinition Definition,
    string PreparedDirectory,
    string IngestedData,
    string ServerProject,
    string WorkDirectory)
{
    /// <summary><c>TrimMode=partial</c> for the server publish (smaller image; full trimming breaks Kestrel).</summary>
    public bool PartialTrimming { get; init; } = true;

    /// <summary>The base image (an OCI image layout directory, <c>--base-image</c>); null: the host glibc base made in <see cref="BaseDirectory"/>.</summary>
    public string? BaseImageLayout { get; init; }

    /// <summary>
    /// What the pipelines' Package instances share (they run in parallel; everything in it is written atomically or
    /// under a lock): server publishes by source key, host glibc bases by the same key, the layer cache. Default: a
    /// <c>shared</c> folder inside <see cref="WorkDirectory"/> (nothing shared); the build points every pipeline at one.
    /// </summary>
    public string SharedDirectory
    {
        get => _sharedDirectory ?? Path.Combine(WorkDirectory, "shared");
        init => _sharedDirectory = value;
    }

    readonly string? _sharedDirectory;

    public string ModelName => Definition.ModelName;

    /// <summary>This pipeline's server: hard links to the shared publish (Deploy's process target runs it; CI hands it on).</summary>
    public string ServerDirectory => Path.Combine(WorkDirectory, "server");

    /// <summary>The source key of the publish <see cref="ServerDirectory"/> links to.</summary>
    public string ServerKeyFile => Path.Combine(WorkDirectory, "server.key");

    public string PublishedServersDirectory => Path.Combine(SharedDirectory, "server");
    public string BaseDirectory(string serverKey) => Path.Combine(SharedDirectory, "base", serverKey);
    public string LayerCacheDirectory => Path.Combine(SharedDirectory, "layers");
    public string StateDirectory => Path.Combine(WorkDirectory, "state");
    public string VersionDirectory(int version) => Path.Combine(WorkDirectory, ModelName, $"v{version}");
    public string ModelDirectory(int version) => Path.Combine(VersionDirectory(version), "model");
    public string LayoutDirectory(int version) => Path.Combine(VersionDirectory(version), "oci");
    public string DockerArchive(int version) => Path.Combine(VersionDirectory(version), "image.tar");
}
