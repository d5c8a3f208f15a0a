namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// Where model binaries live, addressed by the SHA-256 of their content (64 lowercase hex characters).
/// The registry's reviewable metadata stays in git; the bytes live here.
/// </summary>
public interface IModelBlobStore
{
    /// <summary>Stores the file's content and returns its SHA-256 digest.</summary>
    string Put(string filePath);

    /// <summary>
    /// Copies the blob with <paramref name="digest"/> to <paramref name="destinationPath"/>, verified against the digest.
    /// Returns false when the store does not hold it; throws <see cref="CorruptModelBlobException"/> when the stored bytes
    /// do not match the digest (the destination is then left untouched).
    /// </summary>
    bool TryGet(string digest, string destinationPath);

    /// <summary>Where the store is, for messages: a folder, or <c>oci://host:port/repository</c>.</summary>
    string Location { get; }

    /// <summary>
    /// Where another machine fetches the blob with <paramref name="digest"/> from, recorded beside its version in
    /// <c>registry.json</c>; null for a store only this machine sees (a local folder: its path means nothing elsewhere).
    /// </summary>
    string? LocationOf(string digest) => null;

    /// <summary>
    /// True when the store already holds the blob with <paramref name="digest"/> at its <paramref name="length"/> in bytes, so
    /// putting it again would change nothing; a cheap look (no hashing: reads verify). False when unsure, as by default.
    /// </summary>
    bool Contains(string digest, long length) => false;
}
