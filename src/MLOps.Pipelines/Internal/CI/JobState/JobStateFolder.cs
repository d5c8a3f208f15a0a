using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace MLOps.Pipelines.Internal.CI.JobState;

/// <summary>
/// What a CI job hands to the jobs after it besides its targets' outputs, as a folder uploaded with its artifacts:
/// <c>pipelines.lock</c> (a fragment: the entries of the targets the job ran) and <c>files/</c> (copies of the shared
/// state files, such as a registry's metadata, that the job changed). <c>--job-state-in</c> merges upstream folders
/// into the workspace before targets run; <c>--job-state-out</c> writes this job's folder after they succeeded.
/// <c>bases.json</c> records what each changed file was before the job changed it, so that a job downstream of another,
/// which took that job's copy and changed it again, supersedes it where both folders meet (the commit-back job).
/// </summary>
internal static class JobStateFolder
{
    public const string FragmentName = LockFile.FileName;
    public const string FilesFolder = "files";
    public const string BasesName = "bases.json";

    /// <summary>Merges the folders' lock fragments into the lock and copies their files into the workspace; returns a one-line summary.</summary>
    public static string Restore(AbsolutePath root, LockFile lockFile, IReadOnlyList<string> folders)
    {
        var paths = folders.Select(f => Path.GetFullPath(f, root)).ToList();
        var fragments = paths.Select(folder =>
        {
            var file = Path.Combine(folder, FragmentName);
            return new LockFragment(Path.GetRelativePath(root, file), File.Exists(file) ? File.ReadAllText(file) : null);
        }).ToList();
        var merged = LockFragmentMerge.Merge(lockFile.Read(), fragments);

        // Every file is checked before any is written: a conflict leaves the workspace as it was.
        var versions = new Dictionary<string, List<FileVersion>>(StringComparer.Ordinal);
        foreach (var folder in paths)
        {
            var filesRoot = Path.Combine(folder, FilesFolder);
            if (!Directory.Exists(filesRoot))
                continue;
            var bases = ReadBases(Path.Combine(folder, BasesName));
            foreach (var file in Directory.EnumerateFiles(filesRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(filesRoot, file).Replace('\\', '/');
                (versions.TryGetValue(relative, out var list) ? list : versions[relative] = [])
                    .Add(new FileVersion(file, Sha256(file), bases.GetValueOrDefault(relative)));
            }
        }
        var files = versions.ToDictionary(v => v.Key, v => Newest(root, v.Key, v.Value), StringComparer.Ordinal);

        AtomicFile.WriteAllText(lockFile.Path, LockFile.Serialize(merged));
        foreach (var (relative, source) in files)
        {
            var target = root / relative;
            Directory.CreateDirectory(target.Parent!);
            File.Copy(source, target, overwrite: true);
        }
        var targets = fragments.Sum(f => LockFile.Parse(f.Text!, f.Source).Count);
        return $"job state: merged {targets} lock entries and {files.Count} files from {folders.Count} upstream jobs";
    }

    /// <summary>The content hashes of the files the globs match now, relative to the root; compared after the run by <see cref="Save"/>.</summary>
    public static IReadOnlyDictionary<string, string> Snapshot(AbsolutePath root, IReadOnlyList<string> globs) =>
        Match(root, globs).ToDictionary(f => f, f => Sha256(root / f), StringComparer.Ordinal);

    /// <summary>Writes the job's folder: the lock entries of <paramref name="targets"/> and the matched files that changed since <paramref name="before"/>.</summary>
    public static string Save(AbsolutePath root, LockFile lockFile, string folder, IEnumerable<string> targets, IReadOnlyList<string> globs, IReadOnlyDictionary<string, string> before)
    {
        var full = Path.GetFullPath(folder, root);
        if (Directory.Exists(full))
            Directory.Delete(full, recursive: true);
        Directory.CreateDirectory(full);
        var names = targets.ToList();
        AtomicFile.WriteAllText(Path.Combine(full, FragmentName), LockFragmentMerge.Fragment(lockFile.Read(), names));
        var changed = Match(root, globs).Where(f => !before.TryGetValue(f, out var hash) || hash != Sha256(root / f)).ToList();
        foreach (var relative in changed)
        {
            var target = Path.Combine(full, FilesFolder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(root / relative, target, overwrite: true);
        }
        if (changed.Count > 0)
            AtomicFile.WriteAllText(Path.Combine(full, BasesName), JsonSerializer.Serialize(
                new SortedDictionary<string, string?>(changed.ToDictionary(f => f, f => before.GetValueOrDefault(f)), StringComparer.Ordinal), BasesJson) + "\n");
        return $"job state: wrote the lock entries of {names.Count} targets and {changed.Count} changed files to {Path.GetRelativePath(root, full)}";
    }

    /// <param name="Basis">The file's hash before the job changed it; null when it did not exist or is not known (an older folder).</param>
    sealed record FileVersion(string Source, string Hash, string? Basis);

    /// <summary>
    /// The one version of a file that every other one led to: a version another job started from (its basis) is that
    /// job's ancestor and gives way to it. Two versions neither of which came from the other are a conflict.
    /// </summary>
    static string Newest(AbsolutePath root, string relative, List<FileVersion> versions)
    {
        var heads = versions
            .Where(v => !versions.Any(other => other.Hash != v.Hash && other.Basis == v.Hash))
            .DistinctBy(v => v.Hash)
            .ToList();
        if (heads.Count == 1)
            return heads[0].Source;
        // Two heads, or none (a job put back what an earlier one changed: each version is the other's basis).
        var (one, two) = heads.Count > 1 ? (heads[0], heads[1]) : (versions[0], versions.First(v => v.Hash != versions[0].Hash));
        throw new InvalidDataException(
            $"{Path.GetRelativePath(root, two.Source)}: conflicts with {Path.GetRelativePath(root, one.Source)}: two upstream jobs changed {relative} differently, neither starting from the other's. Let one job own that file (or order one job after the other), then re-run the pipeline.");
    }

    static Dictionary<string, string?> ReadBases(string path)
    {
        if (!File.Exists(path))
            return [];
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string?>>(File.ReadAllText(path), BasesJson) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a job state's bases ({e.Message}); re-run the job that wrote it.", e);
        }
    }

    static readonly JsonSerializerOptions BasesJson = new() { WriteIndented = true };

    static IEnumerable<string> Match(AbsolutePath root, IReadOnlyList<string> globs)
    {
        if (globs.Count == 0)
            return [];
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddIncludePatterns(globs);
        // The lock travels as fragments, never as a whole file (two jobs' copies would overwrite each other).
        matcher.AddExclude(LockFile.FileName);
        return matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(root))).Files
            .Select(f => f.Path.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
