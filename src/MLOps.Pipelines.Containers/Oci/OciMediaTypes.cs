namespace MLOps.Pipelines.Containers.Oci;

/// <summary>The media types of the OCI image specification (and the Docker ones a registry may answer with).</summary>
public static class OciMediaTypes
{
    public const string Manifest = "application/vnd.oci.image.manifest.v1+json";
    public const string Index = "application/vnd.oci.image.index.v1+json";
    public const string Config = "application/vnd.oci.image.config.v1+json";
    public const string LayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string Layer = "application/vnd.oci.image.layer.v1.tar";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
}
