using System.Text.Json;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>
/// The previous outputs of a running target, saved into <c>.nuke/temp/backup/&lt;target&gt;/</c> so a failed,
/// cancelled or killed run can put them back: a file is copied and stays in place (so it is never missing, even during
/// the run or after a kill), a directory is moved aside (so the target starts from an empty folder). The journal
/// (written before anything is saved) lists every declared output and whether it existed; <c>items/&lt;i&gt;</c> holds
/// those already saved, each renamed into place only when complete. Restoring is idempotent, so it is also the recovery
/// after SIGKILL: an output that existed but was not saved yet is still in place and is left alone.
/// </summary>
internal sealed class OutputBackup
{
    /// <summary>The identity (inode, size, ctime) of each file left in place, to tell a rewritten file from an untouched one.</summary>
    readonly Dictionary<string, FileIdentity> _keptFiles = new(StringComparer.Ordinal);

    OutputBackup(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>True when the target left this file output exactly as it was (it did not write it this run).</summary>
    public bool Untouched(string full) =>
        _keptFiles.TryGetValue(full, out var before) && FileStatus.TryGet(full) is { } now && now == before;
    string JournalPath => Path.Combine(Directory, "journal.json");

    public static string DirectoryFor(string root, string target) => Path.Combine(root, ".nuke", "temp", "backup", TargetCache.SafeName(target));

    /// <summary>Saves the existing outputs: files are copied (and stay in place), directories are moved aside.</summary>
    public static OutputBackup Begin(string root, string target, IReadOnlyList<(string Full, string Relative)> outputs)
    {
        var backup = new OutputBackup(DirectoryFor(root, target));
        if (System.IO.Directory.Exists(backup.Directory))
            throw new InvalidOperationException($"A backup of target '{target}' is still at {backup.Directory}; recover it first.");
        System.IO.Directory.CreateDirectory(Path.Combine(backup.Directory, "items"));
        var journal = new BackupJournal(target, Environment.ProcessId,
            outputs.Select(o => new BackupJournalOutput(o.Relative, File.Exists(o.Full) || System.IO.Directory.Exists(o.Full))).ToList());
        AtomicFile.WriteAllBytes(backup.JournalPath, JsonSerializer.SerializeToUtf8Bytes(journal, CacheJsonContext.Default.BackupJournal));
        for (var i = 0; i < outputs.Count; i++)
        {
            if (!journal.Outputs[i].Existed)
                continue;
            // A file stays in place while the target runs (it replaces it whole, and a Ctrl+C or a kill must not
            // leave it missing): the backup is a copy, renamed into place only once complete. A directory is moved
            // aside, so the target starts from an empty folder and no stale file slips into its outputs.
            if (File.Exists(outputs[i].Full))
            {
                PathMove.CopyFile(outputs[i].Full, backup.Item(i));
                if (FileStatus.TryGet(outputs[i].Full) is { } identity) backup._keptFiles[outputs[i].Full] = identity;
            }
            else
                PathMove.Move(outputs[i].Full, backup.Item(i));
        }
        return backup;
    }

    public static OutputBackup? Find(string root, string target)
    {
        var directory = DirectoryFor(root, target);
        return System.IO.Directory.Exists(directory) ? new OutputBackup(directory) : null;
    }

    public static IEnumerable<string> FindAll(string root)
    {
        var directory = Path.Combine(root, ".nuke", "temp", "backup");
        return System.IO.Directory.Exists(directory) ? System.IO.Directory.EnumerateDirectories(directory) : [];
    }

    public static OutputBackup Open(string directory) => new(directory);

    string Item(int index) => Path.Combine(Directory, "items", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The target's name and the process that made the backup, from the journal (null if it was never written).</summary>
    public (string Target, int Pid)? Owner() => ReadJournal(out _) is { } journal ? (journal.Target, journal.Pid) : null;

    /// <summary>The journal, or null with the reason (absent, unreadable, malformed, or naming another target's folder).</summary>
    BackupJournal? ReadJournal(out string? problem)
    {
        problem = null;
        try
        {
            if (!File.Exists(JournalPath))
            {
                problem = System.IO.Directory.Exists(JournalPath) ? "it is a folder" : "it is missing";
                return null;
            }
            if (new FileInfo(JournalPath).Length > ContentStore.MaxActionRecordBytes)
            {
                problem = "it is far too large";
                return null;
            }
            var journal = JsonSerializer.Deserialize(File.ReadAllBytes(JournalPath), CacheJsonContext.Default.BackupJournal);
            if (journal?.Target is null || journal.Outputs is null || journal.Outputs.Any(o => o?.Path is null))
                problem = "it is incomplete";
            else if (TargetCache.SafeName(journal.Target) != Path.GetFileName(Directory))
                problem = $"it names target '{journal.Target}', not the one of its folder";
            return problem is null ? journal : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problem = e.Message;
            return null;
        }
    }

    bool HasSavedItems()
    {
        var items = Path.Combine(Directory, "items");
        try
        {
            return System.IO.Directory.Exists(items) && System.IO.Directory.EnumerateFileSystemEntries(items).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // unknown: assume something is saved there
        }
    }

    /// <summary>
    /// Deletes whatever the run left at the declared outputs and puts the previous outputs back, after checking every
    /// journal path with <paramref name="problemWith"/> (null when the path is acceptable). A journal that cannot be read
    /// while outputs were saved, or a path that fails the check, leaves everything in place: the backup is moved to
    /// <c>.nuke/temp/backup-kept/</c> (nothing lost) and the result says so. With <paramref name="readOnly"/> nothing moves.
    /// </summary>
    public BackupRecovery Restore(string root, Func<string, string?>? problemWith = null, bool readOnly = false)
    {
        var journal = ReadJournal(out var journalProblem);
        if (journal is null)
        {
            // The journal is written before anything moves: without one, nothing was moved, unless items are there.
            if (!HasSavedItems())
            {
                if (!readOnly)
                    Discard();
                return new BackupRecovery(BackupRecoveryKind.NothingSaved, null);
            }
            return KeepAside(root, $"its journal {JournalPath} cannot be read ({journalProblem})", readOnly);
        }

        var fulls = new string[journal.Outputs.Count];
        for (var i = 0; i < journal.Outputs.Count; i++)
        {
            var path = journal.Outputs[i].Path;
            var problem = PathProblem(root, path) ?? problemWith?.Invoke(path);
            if (problem is not null)
                return KeepAside(root, $"its journal {JournalPath} lists '{path}', {problem}", readOnly);
            fulls[i] = Path.GetFullPath(Path.Combine(root, path));
        }
        if (readOnly)
            return new BackupRecovery(BackupRecoveryKind.WouldPutBack, null);
        for (var i = 0; i < journal.Outputs.Count; i++)
        {
            var item = Item(i);
            var moved = File.Exists(item) || System.IO.Directory.Exists(item);
            if (journal.Outputs[i].Existed && !moved)
                continue; // never moved: the original is still in place
            PathMove.Delete(fulls[i]);
            if (moved)
                PathMove.Move(item, fulls[i]);
        }
        Discard();
        return new BackupRecovery(BackupRecoveryKind.PutBack, null);
    }

    BackupRecovery KeepAside(string root, string why, bool readOnly)
    {
        if (readOnly)
            return new BackupRecovery(BackupRecoveryKind.WouldKeep, $"{why}; a build would keep the saved outputs aside, untouched");
        var kept = Path.Combine(root, ".nuke", "temp", "backup-kept", $"{Path.GetFileName(Directory)}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        PathMove.Move(Directory, kept);
        return new BackupRecovery(BackupRecoveryKind.KeptAside, $"{why}; nothing was put back or deleted: the saved outputs are kept in {kept}");
    }

    /// <summary>Why a journal path may not be touched (outside the repository, inside its state, through a link), or null.</summary>
    internal static string? PathProblem(string root, string path)
    {
        if (!ActionRecord.IsSafeRelativePath(path))
            return "which is not a plain path inside the repository";
        var first = path.Split('/')[0];
        if (first is ".nuke" or ".git")
            return $"which lies in the repository's {first} folder";
        var full = Path.GetFullPath(Path.Combine(root, path));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return "which is outside the repository";
        // Every folder on the way must be a real folder: through a link, a delete could land anywhere.
        var partial = Path.TrimEndingDirectorySeparator(root);
        foreach (var segment in path.Split('/')[..^1])
        {
            partial = Path.Combine(partial, segment);
            if (new DirectoryInfo(partial).LinkTarget is not null)
                return $"which passes through the link {partial}";
        }
        return null;
    }

    /// <summary>Drops the backup after a commit.</summary>
    public void Discard() => PathMove.Delete(Directory);
}

/// <summary>What a recovery did: put back, nothing to do, or kept the backup aside (with why and where).</summary>
internal sealed record BackupRecovery(BackupRecoveryKind Kind, string? Detail);

internal enum BackupRecoveryKind { PutBack, NothingSaved, KeptAside, WouldPutBack, WouldKeep }

/// <summary>The backup's journal: every declared output (root-relative) and whether it existed before the run.</summary>
internal sealed record BackupJournal(string Target, int Pid, List<BackupJournalOutput> Outputs);

internal sealed record BackupJournalOutput(string Path, bool Existed);

/// <summary>Moving and deleting files or whole directories; moves fall back to copy + delete across file systems.</summary>
internal static class PathMove
{
    public static void Move(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        if (File.Exists(source))
        {
            File.Move(source, destination, overwrite: true); // .NET copies and deletes itself across devices
            return;
        }
        try
        {
            Directory.Move(source, destination);
        }
        catch (IOException) when (Directory.Exists(source) && !Directory.Exists(destination))
        {
            CopyDirectory(source, destination);
            Directory.Delete(source, recursive: true);
        }
    }

    /// <summary>Copies a file to a temporary name beside the destination, then renames it: the destination is whole or absent.</summary>
    public static void CopyFile(string source, string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = AtomicFile.TempNameBeside(destination);
        try
        {
            File.Copy(source, temp, overwrite: true);
            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
    }

    static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(source))
            CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)));
    }
}
