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

    public string Location => Directory;

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
            var blob = Directory / digest;
            if (System.IO.Directory.Exists(blob))
                throw new ModelRegistryException(
                    $"Cannot store model blob '{blob}': a folder is in its place. Delete that folder (it holds no model) and run again.");
            // Renaming over an existing blob is safe: same name, same verified content; it also repairs a corrupt copy
            // (or a link in the blob's place: rename replaces the link, never what it points at).
            File.Move(temporary, blob, overwrite: true);
            return digest;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A regular file (not a link, not a folder) of the right length in the blob's place; its content is verified when read.</summary>
    public bool Contains(string digest, long length)
    {
        var blob = new FileInfo(PathOf(digest));
        return blob.Exists && blob.LinkTarget is null && blob.Length == length;
    }

    public bool TryGet(string digest, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        var blob = PathOf(digest);
        if (System.IO.Directory.Exists(blob))
            throw new ModelRegistryException(
                $"Model blob '{blob}' is a folder, not a file. Delete it and store the model again from its source (or restore it from the remote cache).");
        if (new FileInfo(blob).LinkTarget is not null)
            throw new ModelRegistryException(
                $"Model blob '{blob}' is a symbolic link, not a stored blob. Delete it and store the model again from its source (or restore it from the remote cache).");
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
