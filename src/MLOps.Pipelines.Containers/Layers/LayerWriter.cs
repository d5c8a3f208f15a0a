using MLOps.Pipelines.Containers.Oci;

namespace MLOps.Pipelines.Containers.Layers;

/// <summary>Writes a <see cref="LayerContent"/> as a gzip tar blob, hashing the tar (diff_id) and the blob (digest) in one pass.</summary>
public static class LayerWriter
{
    /// <param name="cache">Where compressed layers are kept by content; null compresses every time.</param>
    public static ImageLayer Write(LayerContent content, BlobDirectory blobs, LayerCache? cache = null)
    {
        if (cache is null) return Compress(content, blobs);
        var key = LayerCache.KeyOf(content);
        if (cache.TryCopy(key, blobs) is { } cached) return cached;
        var layer = Compress(content, blobs);
        cache.Add(key, layer, blobs);
        return layer;
    }

    static ImageLayer Compress(LayerContent content, BlobDirectory blobs)
    {
        var temporary = Path.Combine(blobs.Root, "blobs", "sha256", "layer-" + Guid.NewGuid().ToString("N") + ".tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(temporary)!);
        try
        {
            string digest, diffId;
            long size;
            using (var file = File.Create(temporary))
            using (var compressed = new HashingStream(file, leaveOpen: true))
            {
                using (var gzip = new DeterministicGzipStream(compressed))
                using (var tar = new HashingStream(gzip, leaveOpen: true))
                {
                    ReproducibleTar.Write(tar, content.Entries);
                    diffId = tar.Digest();
                }
                digest = compressed.Digest();
                size = compressed.BytesWritten;
            }
            blobs.Adopt(temporary, digest);
            return new ImageLayer(new OciDescriptor(OciMediaTypes.LayerGzip, digest, size), diffId, content.Description);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
