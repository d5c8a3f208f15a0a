namespace MLOps.Pipelines.Containers.Oci;

/// <summary>
/// A folder of blobs named by digest, <c>blobs/sha256/&lt;hex&gt;</c> — the storage of an OCI image layout. A blob is
/// written to a temporary name and renamed once its digest is known, so a present name always has that content.
/// </summary>
public sealed class BlobDirectory
{
    public BlobDirectory(string layoutDirectory) => Root = Path.GetFullPath(layoutDirectory);

    public string Root { get; }

    public string PathOf(string digest) => Path.Combine(Root, "blobs", "sha256", OciDigest.Hex(digest));

    public bool Contains(string digest) => File.Exists(PathOf(digest));

    public OciDescriptor Write(string mediaType, ReadOnlySpan<byte> bytes)
    {
        var digest = OciDigest.Of(bytes);
        var path = PathOf(digest);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, bytes.ToArray());
            File.Move(temporary, path, overwrite: true);
        }
        return new OciDescriptor(mediaType, digest, bytes.Length);
    }

    /// <summary>Copies a blob from <paramref name="source"/>, verifying that its content has the digest it claims.</summary>
    public void Import(OciDescriptor descriptor, Func<Stream> source)
    {
        var path = PathOf(descriptor.Digest);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var input = source())
            using (var output = File.Create(temporary))
                input.CopyTo(output);
            var actual = OciDigest.OfFile(temporary);
            if (actual != descriptor.Digest)
                throw new InvalidDataException($"Blob {descriptor.Digest} has content {actual}: the source image is damaged; build or fetch it again.");
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Moves a finished temporary file in under its digest.</summary>
    public void Adopt(string temporaryFile, string digest)
    {
        var path = PathOf(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temporaryFile, path, overwrite: true);
    }

    public byte[] Read(string digest) => File.ReadAllBytes(PathOf(digest));

    public Stream Open(string digest) => File.OpenRead(PathOf(digest));
}
