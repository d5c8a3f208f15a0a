namespace MLOps.Pipelines.Containers.Registry;

/// <summary>What a push did: the manifest digest the registry confirmed, which blobs it uploaded and which it already had.</summary>
public sealed record PushResult(string Digest, IReadOnlyList<string> Tags, int BlobsUploaded, long BytesUploaded, int BlobsSkipped, TimeSpan Elapsed)
{
    /// <summary>The digests of the blobs sent (the registry answered 404 to their HEAD), in manifest order: config first, then layers.</summary>
    public IReadOnlyList<string> UploadedDigests { get; init; } = [];

    /// <summary>The bytes of the blobs the registry already had (not sent).</summary>
    public long BytesSkipped { get; init; }
}
