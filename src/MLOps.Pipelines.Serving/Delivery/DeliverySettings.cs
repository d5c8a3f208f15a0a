using MLOps.Pipelines.ML.Catalog;

namespace MLOps.Pipelines.Serving.Delivery;

/// <summary>
/// Where delivery reads and writes for one pipeline: the pipeline, the prepared and ingested data (Export of the
/// champion checks parity on them and picks golden records from them), the server host project, and a machine-local
/// work folder (published server, base image, layer cache, images, live-server state; git-ignored).
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

    public string ModelName => Definition.ModelName;
    public string ServerDirectory => Path.Combine(WorkDirectory, "server");
    public string BaseDirectory => Path.Combine(WorkDirectory, "base");
    public string LayerCacheDirectory => Path.Combine(WorkDirectory, "layers");
    public string StateDirectory => Path.Combine(WorkDirectory, "state");
    public string VersionDirectory(int version) => Path.Combine(WorkDirectory, ModelName, $"v{version}");
    public string ModelDirectory(int version) => Path.Combine(VersionDirectory(version), "model");
    public string LayoutDirectory(int version) => Path.Combine(VersionDirectory(version), "oci");
    public string DockerArchive(int version) => Path.Combine(VersionDirectory(version), "image.tar");
}
