using System.ComponentModel;
using System.Diagnostics;

namespace MLOps.Pipelines;

/// <summary>
/// The read-only view of what targets recorded in <c>pipelines.lock</c>, in the working tree or as committed at git
/// HEAD — the one way libraries read the lock (its format stays the engine's business):
/// <c>TargetRecords.AtHead(root).Find("Evaluate@FlightDelays")?.Metrics</c>.
/// </summary>
public sealed class TargetRecords
{
    readonly IReadOnlyDictionary<string, TargetRecord> _byName;

    TargetRecords(string source, IReadOnlyDictionary<string, LockEntry> entries)
    {
        Source = source;
        _byName = entries.ToDictionary(e => e.Key, e => TargetRecord.From(e.Key, e.Value), StringComparer.Ordinal);
        All = [.. _byName.Values.OrderBy(r => r.Target, StringComparer.Ordinal)];
    }

    /// <summary>Where the records were read: <c>pipelines.lock</c> or <c>HEAD:pipelines.lock</c>.</summary>
    public string Source { get; }

    /// <summary>Every record, by target name.</summary>
    public IReadOnlyList<TargetRecord> All { get; }

    /// <summary>The record of a target or instance (exact name, e.g. <c>Train@FlightDelays</c>); null when it has none.</summary>
    public TargetRecord? Find(string target) => _byName.GetValueOrDefault(target);

    /// <summary>The records of a family's instances (<c>Train</c> → <c>Train@CustomerChurn</c>, <c>Train@FlightDelays</c>), by name.</summary>
    public IReadOnlyList<TargetRecord> OfFamily(string family) => [.. All.Where(r => r.Key is not null && r.Family == family)];

    /// <summary>The working tree's <c>pipelines.lock</c> under <paramref name="root"/>; empty when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is damaged (e.g. a merge conflict); the message names the fix.</exception>
    public static TargetRecords WorkingTree(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new TargetRecords(LockFile.FileName, new LockFile(root).Read());
    }

    /// <summary>
    /// <c>pipelines.lock</c> as committed at git HEAD (the baseline of a review); empty outside a git checkout, without
    /// git, or when the file is not committed.
    /// </summary>
    public static TargetRecords AtHead(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var source = $"HEAD:{LockFile.FileName}";
        var text = CommittedText(root, LockFile.FileName);
        return new TargetRecords(source, text is null ? new Dictionary<string, LockEntry>() : LockFile.Parse(text, source));
    }

    /// <summary>Reads the lock's text from a lock file's content (e.g. one fetched from elsewhere).</summary>
    public static TargetRecords Parse(string lockFileText, string source)
    {
        ArgumentNullException.ThrowIfNull(lockFileText);
        ArgumentNullException.ThrowIfNull(source);
        return new TargetRecords(source, LockFile.Parse(lockFileText, source));
    }

    static string? CommittedText(string root, string relativePath)
    {
        if (!Directory.Exists(root)) return null;
        // "HEAD:./path" is relative to the working directory, so a root below the repository's top works too.
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("show");
        start.ArgumentList.Add($"HEAD:./{relativePath}");
        try
        {
            using var git = Process.Start(start)!;
            var error = git.StandardError.ReadToEndAsync();
            var text = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            _ = error.Result;
            return git.ExitCode == 0 ? text : null;
        }
        catch (Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
