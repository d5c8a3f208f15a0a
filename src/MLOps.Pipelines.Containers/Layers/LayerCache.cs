using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using MLOps.Pipelines.Containers.Oci;

namespace MLOps.Pipelines.Containers.Layers;

/// <summary>
/// Compressed layers by the content that made them (as Jib caches layers): a key over every entry's path, mode,
/// owner and bytes (XXH3-128, fast) names the blob's digest, diff_id and size, and the blob is kept beside it. An
/// unchanged server layer is then hashed, not compressed again, so repackaging after a retrain costs seconds. A hit
/// is verified against its digest before use; a damaged entry is dropped and the layer written anew.
/// </summary>
public sealed class LayerCache
{
    public LayerCache(string directory) => Directory = Path.GetFullPath(directory);

    public string Directory { get; }

    public static string KeyOf(LayerContent content)
    {
        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var entry in content.Entries)
        {
            hash.Append(Encoding.UTF8.GetBytes($"{entry.PathInImage}\0{(int)entry.Mode}\0{entry.Uid}\0{entry.Gid}\0{(entry.IsDirectory ? "d" : "f")}\0"));
            if (entry.Content is not null)
            {
                hash.Append(Encoding.UTF8.GetBytes($"{entry.Content.Length}\0"));
                hash.Append(entry.Content);
            }
            else if (entry.SourceFile is not null)
            {
                using var file = File.OpenRead(entry.SourceFile);
                hash.Append(Encoding.UTF8.GetBytes($"{file.Length}\0"));
                int read;
                while ((read = file.Read(buffer)) > 0) hash.Append(buffer.AsSpan(0, read));
            }
        }
        hash.Append(Encoding.UTF8.GetBytes(content.Description));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    internal ImageLayer? TryCopy(string key, BlobDirectory blobs)
    {
        var record = Path.Combine(Directory, key + ".json");
        if (!File.Exists(record)) return null;
        string? blob = null;
        try
        {
            var layer = JsonSerializer.Deserialize<ImageLayer>(File.ReadAllText(record));
            if (layer is null || !OciDigest.IsValid(layer.Blob.Digest) || !OciDigest.IsValid(layer.DiffId)) throw new InvalidDataException("incomplete record");
            blob = Path.Combine(Directory, "blobs", OciDigest.Hex(layer.Blob.Digest));
            blobs.Import(layer.Blob, () => File.OpenRead(blob));
            return layer;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"layer cache: {record} is damaged ({e.Message.ReplaceLineEndings(" ")}); writing the layer again");
            File.Delete(record);
            if (blob is not null && File.Exists(blob)) File.Delete(blob);
            return null;
        }
    }

    internal void Add(string key, ImageLayer layer, BlobDirectory blobs)
    {
        var blobsDirectory = Path.Combine(Directory, "blobs");
        System.IO.Directory.CreateDirectory(blobsDirectory);
        var blob = Path.Combine(blobsDirectory, OciDigest.Hex(layer.Blob.Digest));
        if (!File.Exists(blob))
        {
            var temporary = blob + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.Copy(blobs.PathOf(layer.Blob.Digest), temporary);
            File.Move(temporary, blob, overwrite: true);
        }
        AtomicFile.WriteAllText(Path.Combine(Directory, key + ".json"), JsonSerializer.Serialize(layer));
    }
}
