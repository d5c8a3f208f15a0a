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

    /// <summary>The same finding with what was being fetched in front, e.g. "customer-churn v3: …".</summary>
    public CorruptModelBlobException(string context, CorruptModelBlobException finding)
        : base($"{context}: {finding?.Message}", finding!)
    {
        ArgumentNullException.ThrowIfNull(finding);
        BlobPath = finding.BlobPath;
        ExpectedDigest = finding.ExpectedDigest;
        ActualDigest = finding.ActualDigest;
    }

    public string BlobPath { get; }
    public string ExpectedDigest { get; }
    public string ActualDigest { get; }
}
