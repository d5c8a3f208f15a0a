namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// A shared store (an OCI registry, say) with this machine's folder in front: Put writes both, TryGet reads the folder
/// first and fetches from the shared store only what the folder lacks (or holds damaged), keeping the fetched copy.
/// On a fresh CI runner the folder is empty, so every binary comes from the shared store, verified by digest.
/// </summary>
public sealed class CachedModelBlobStore : IModelBlobStore
{
    readonly FileSystemModelBlobStore _cache;
    readonly IModelBlobStore _shared;

    public CachedModelBlobStore(FileSystemModelBlobStore cache, IModelBlobStore shared)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(shared);
        _cache = cache;
        _shared = shared;
    }

    /// <summary>The shared store's: that is where a binary lives for good.</summary>
    public string Location => _shared.Location;

    public string? LocationOf(string digest) => _shared.LocationOf(digest);

    public string Put(string filePath)
    {
        var digest = _cache.Put(filePath);
        var shared = _shared.Put(filePath);
        if (shared != digest)
            throw new ModelRegistryException(
                $"The model store {_shared.Location} stored '{filePath}' as sha256 {shared}, but its content hashes to {digest}; the store is not to be trusted.");
        return digest;
    }

    /// <summary>Only when both hold it: a Put is what brings a blob this machine made into the shared store.</summary>
    public bool Contains(string digest, long length) => _cache.Contains(digest, length) && _shared.Contains(digest, length);

    public bool TryGet(string digest, string destinationPath)
    {
        try
        {
            if (_cache.TryGet(digest, destinationPath)) return true;
        }
        catch (CorruptModelBlobException)
        {
            // A damaged local copy is only a cache miss while the shared store holds the blob; fetching repairs it.
        }
        if (!_shared.TryGet(digest, destinationPath)) return false;
        _cache.Put(destinationPath);
        return true;
    }
}
