using System.Text.Json.Serialization;

namespace MLOps.Pipelines.Containers.Oci;

/// <summary>An OCI content descriptor: what a blob is, its digest and its size in bytes.</summary>
public sealed record OciDescriptor(
    [property: JsonPropertyName("mediaType")] string MediaType,
    [property: JsonPropertyName("digest")] string Digest,
    [property: JsonPropertyName("size")] long Size);
