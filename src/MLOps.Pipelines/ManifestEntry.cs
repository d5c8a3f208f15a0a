namespace MLOps.Pipelines;

/// <summary>
/// One declared input or output as recorded in the lock file and the fingerprint. A single file carries its own hash;
/// a directory or glob (a "tree") carries the count and total size of its files and a hash over their sorted
/// (path, size, hash) list, so a 10,000-file data folder is one reviewable line. The per-file list of a tree is kept
/// on this machine (<c>.nuke/state/trees</c>) to say which files changed.
/// </summary>
public sealed record ManifestEntry(string Path, long Size, string Hash, int? FileCount = null)
{
    public bool IsTree => FileCount is not null;
}
