namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// An image written by <see cref="ImageAssembler"/>: the manifest digest (the image digest a registry reports), the
/// config digest (the image ID Docker shows), its layers from the bottom up, and where its two forms were written.
/// </summary>
public sealed record BuiltImage(
    string Digest,
    string ConfigDigest,
    OciDescriptor Manifest,
    OciDescriptor Config,
    IReadOnlyList<ImageLayer> Layers,
    IReadOnlyList<string> Tags,
    string LayoutDirectory,
    string? DockerArchive)
{
    /// <summary>The compressed size of every blob: what a registry stores and a pull downloads.</summary>
    public long CompressedSize => Manifest.Size + Config.Size + Layers.Sum(l => l.Blob.Size);
}
