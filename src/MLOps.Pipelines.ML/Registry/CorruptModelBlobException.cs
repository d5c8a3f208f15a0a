namespace MLOps.Pipelines.ML.Registry;

/// <summary>A stored model blob whose bytes no longer hash to the digest it is stored under.</summary>
public sealed class CorruptModelBlobException : ModelRegistryException
{
    public CorruptModelBlobException(string blobPath, string expectedDigest, string actualDigest)
        : base($"Model blob '{blobPath}' is corrupt: expected sha256 {expectedDigest}, its content hashes to {actualDigest}. " +
               "Delete the blob and store the model again from its source (or restore it from the remote cache).")
    {
        BlobPath = blobPath;
        ExpectedDigest = expectedDigest;
        ActualDigest = actualDigest;
    }

    public string BlobPath { get; }
    public string ExpectedDigest { get; }
    public string ActualDigest { get; }
}
