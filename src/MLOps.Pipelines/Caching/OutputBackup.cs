using System.Text.Json;

namespace MLOps.Pipelines.Caching;

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
    public (string Target, int Pid)? Owner()
    {
        try
        {
            var journal = JsonSerializer.Deserialize(File.ReadAllBytes(JournalPath), CacheJsonContext.Default.BackupJournal);
            return journal is null ? null : (journal.Target, journal.Pid);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Deletes whatever the run left at the declared outputs and puts the previous outputs back.</summary>
    public void Restore(string root)
    {
        BackupJournal? journal = null;
        try
        {
            journal = JsonSerializer.Deserialize(File.ReadAllBytes(JournalPath), CacheJsonContext.Default.BackupJournal);
        }
        catch (Exception e) when (e is FileNotFoundException or JsonException)
        {
            // Killed before the journal was renamed into place: nothing was moved yet.
        }
        if (journal is not null)
        {
            for (var i = 0; i < journal.Outputs.Count; i++)
            {
                var output = journal.Outputs[i];
                var full = Path.GetFullPath(Path.Combine(root, output.Path));
                var item = Item(i);
                var moved = File.Exists(item) || System.IO.Directory.Exists(item);
                if (output.Existed && !moved)
                    continue; // never moved: the original is still in place
                PathMove.Delete(full);
                if (moved)
                    PathMove.Move(item, full);
            }
        }
        Discard();
    }

    /// <summary>Drops the backup after a commit.</summary>
    public void Discard() => PathMove.Delete(Directory);
}

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
