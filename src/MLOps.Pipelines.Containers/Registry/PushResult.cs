namespace MLOps.Pipelines.Containers.Registry;

/// <summary>What a push did: the manifest digest the registry confirmed, which blobs it uploaded and which it already had.</summary>
public sealed record PushResult(string Digest, IReadOnlyList<string> Tags, int BlobsUploaded, long BytesUploaded, int BlobsSkipped, TimeSpan Elapsed);
