using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>
/// Expands declared paths into manifests: a file is one entry; a directory is a tree of every file under it
/// (hidden files included); a pattern with <c>*</c>, <c>?</c> or <c>[</c> is a glob relative to the root
/// (<c>data/**/*.csv</c>) and a tree of its matches. Hashes come from the state, so unchanged files are not read.
/// </summary>
internal sealed class ManifestBuilder(string root, FileStateCache state)
{
    readonly DirectoryManifestCache _directories = new(state);

    public string Root { get; } = root;

    /// <summary>The path as written in the lock file: relative to the root, '/' separated.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    public string Full(string declared) => Path.GetFullPath(Path.Combine(Root, declared));

    public static bool IsGlob(string declared) => declared.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>Builds the input manifest; a declared input that does not exist is a <see cref="MissingPathException"/>.</summary>
    public InputManifest BuildInputs(string target, IEnumerable<string> declared)
    {
        var entries = new SortedDictionary<string, ManifestEntry>(StringComparer.Ordinal);
        var trees = new Dictionary<string, IReadOnlyList<ManifestFile>>(StringComparer.Ordinal);
        var singles = new List<(string Full, string Relative)>();

        foreach (var item in declared.Distinct(StringComparer.Ordinal))
        {
            if (IsGlob(item))
            {
                var (key, files) = ExpandGlob(item);
                if (files.Count == 0)
                    throw new MissingPathException(
                        $"Target '{target}' declares input pattern '{item}', which matches no file under {Root}. Add the data or fix the .Inputs(...) pattern.", item);
                AddTree(key, TreeHash.Entry(key, files), files);
                continue;
            }

            var full = Full(item);
            var relative = Relative(full);
            if (File.Exists(full))
                singles.Add((full, relative));
            else if (Directory.Exists(full))
            {
                var (entry, files) = _directories.Hash(full, relative);
                AddTree(relative, entry, files);
            }
            else
                throw new MissingPathException(
                    $"Target '{target}' declares input '{relative}' ({full}), which does not exist. Create it (or the target that produces it) or fix the .Inputs(...) declaration.", full);
        }

        foreach (var file in state.HashAll(singles))
            entries[file.Path] = new ManifestEntry(file.Path, file.Size, file.Hash);
        return new InputManifest([.. entries.Values], trees);

        void AddTree(string key, ManifestEntry entry, IReadOnlyList<ManifestFile> files)
        {
            entries[key] = entry;
            trees[key] = files;
            state.RememberTree(entry.Hash, files);
        }
    }

    /// <summary>Every file under a directory (hidden files included), hashed (from state where possible), sorted by path.</summary>
    public IReadOnlyList<ManifestFile> HashDirectory(string fullDirectory) => _directories.Hash(fullDirectory, Relative(fullDirectory)).Files;

    /// <summary>The observed state of a declared output: a file entry, a tree entry with its files, or null when missing.</summary>
    public (ManifestEntry Entry, IReadOnlyList<ManifestFile> Files)? Observe(string fullPath)
    {
        var relative = Relative(fullPath);
        if (File.Exists(fullPath))
        {
            var file = state.Hash(fullPath, relative);
            return (new ManifestEntry(relative, file.Size, file.Hash), [file]);
        }
        if (Directory.Exists(fullPath))
            return _directories.Hash(fullPath, relative);
        return null;
    }

    (string Key, IReadOnlyList<ManifestFile> Files) ExpandGlob(string pattern)
    {
        // Split at the first segment holding a wildcard: the part before is the directory the matcher walks.
        var normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        var firstWild = Array.FindIndex(segments, IsGlob);
        var baseText = string.Join('/', segments[..firstWild]);
        var baseDir = Path.GetFullPath(Path.IsPathFullyQualified(normalized) ? (baseText.Length == 0 ? "/" : baseText) : Path.Combine(Root, baseText));
        var rest = string.Join('/', segments[firstWild..]);
        var key = Path.IsPathFullyQualified(normalized)
            ? (Relative(baseDir) is var r && r == "." ? rest : $"{r}/{rest}")
            : normalized;

        if (!Directory.Exists(baseDir))
            return (key, []);
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(rest);
        var found = matcher.Execute(new DirectoryInfoWrapper(new DirectoryInfo(baseDir)));
        var files = found.Files
            .Select(m => Path.GetFullPath(Path.Combine(baseDir, m.Path)))
            .Select(f => (f, Relative(f)))
            .OrderBy(f => f.Item2, StringComparer.Ordinal)
            .ToList();
        return (key, state.HashAll(files));
    }
}
