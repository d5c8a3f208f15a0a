namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// A content-addressed blob store on the local file system: one file per blob, named by its SHA-256
/// (<c>.nuke/cache/models/&lt;sha256&gt;</c> in a repository). Writes go through a temporary file and a rename,
/// so a reader never sees half a blob; reads are verified against the digest.
/// </summary>
public sealed class FileSystemModelBlobStore : IModelBlobStore
{
    public FileSystemModelBlobStore(AbsolutePath directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory = directory;
    }

    /// <summary>The store of a repository: <c>&lt;root&gt;/.nuke/cache/models</c> (git-ignored).</summary>
    public static FileSystemModelBlobStore ForRepository(AbsolutePath rootDirectory) =>
        new(rootDirectory / ".nuke" / "cache" / "models");

    public AbsolutePath Directory { get; }

    public AbsolutePath PathOf(string digest)
    {
        Sha256Digest.EnsureValid(digest, nameof(digest));
        return Directory / digest;
    }

    public string Put(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"Cannot store model file '{filePath}': it does not exist.", filePath);

        Directory.CreateDirectory();
        var temporary = Directory / $".put-{Guid.NewGuid():N}.tmp";
        try
        {
            string digest;
            using (var source = File.OpenRead(filePath))
                digest = Sha256Digest.CopyHashing(source, temporary);
            // Renaming over an existing blob is safe: same name, same verified content; it also repairs a corrupt copy.
            File.Move(temporary, Directory / digest, overwrite: true);
            return digest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public bool TryGet(string digest, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        var blob = PathOf(digest);
        if (!blob.FileExists())
            return false;

        var destination = Path.GetFullPath(destinationPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temporary = $"{destination}.{Guid.NewGuid():N}.tmp";
        try
        {
            string actual;
            using (var source = File.OpenRead(blob))
                actual = Sha256Digest.CopyHashing(source, temporary);
            if (actual != digest)
                throw new CorruptModelBlobException(blob, digest, actual);
            File.Move(temporary, destination, overwrite: true);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
