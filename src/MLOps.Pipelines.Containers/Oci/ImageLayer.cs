namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// One layer of an image: its blob (as stored, usually gzip), the digest of its uncompressed tar (the config's
/// <c>diff_id</c>) and the history line that says what it holds.
/// </summary>
public sealed record ImageLayer(OciDescriptor Blob, string DiffId, string CreatedBy);
