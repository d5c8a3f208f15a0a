using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLOps.Pipelines.Internal.Hashing;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>What the IL walk found for one target: its code hash, the parameters and readonly fields it reads, and the assemblies its code reaches.</summary>
internal sealed record CodeAnalysis(string Hash, IReadOnlyList<string> Parameters, IReadOnlyList<string> Fields, IReadOnlyList<string>? Assemblies = null);

/// <summary>
/// Code analyses of the targets, persisted per set of assemblies: builds are deterministic, so the same module
/// version ids (of the repository's assemblies and of this engine, whose walk defines the hash) mean the same IL,
/// and a no-op run reads the analyses instead of walking the IL again.
/// </summary>
internal sealed class CodeAnalysisCache
{
    readonly string _path;
    readonly ConcurrentDictionary<string, CodeAnalysis> _entries;
    readonly StateFiles _files;
    int _added;

    CodeAnalysisCache(string path, Dictionary<string, CodeAnalysis> entries, StateFiles files)
    {
        _path = path;
        _files = files;
        _entries = new ConcurrentDictionary<string, CodeAnalysis>(entries, StringComparer.Ordinal);
    }

    public static CodeAnalysisCache Load(AbsolutePath root, IEnumerable<Assembly> ownAssemblies, Action<string>? warn = null)
    {
        var identity = string.Join("\n", ownAssemblies.Append(typeof(CodeAnalysisCache).Assembly)
            .Select(a => $"{a.GetName().Name}:{a.ManifestModule.ModuleVersionId}").Order(StringComparer.Ordinal));
        var path = root / ".nuke" / "state" / "code" / (ContentHash.Xxh3(System.Text.Encoding.UTF8.GetBytes(identity)) + ".json");
        var files = new StateFiles(warn);
        var entries = new Dictionary<string, CodeAnalysis>(StringComparer.Ordinal);
        if (files.TryRead(path, 64 << 20) is { } json)
        {
            // A damaged cache (not JSON, or JSON of another shape: nulls, missing hashes) only costs a new walk.
            try
            {
                var read = JsonSerializer.Deserialize(json, CodeAnalysisJson.Default.DictionaryStringCodeAnalysis);
                if (read is null || read.Any(p => p.Key is null || p.Value is null || !ContentHash.IsHex(p.Value.Hash ?? "", 32)
                    || p.Value.Parameters is null || p.Value.Fields is null || p.Value.Parameters.Any(x => x is null) || p.Value.Fields.Any(x => x is null)))
                    files.Discard(path, "has the wrong shape");
                else
                    entries = new Dictionary<string, CodeAnalysis>(read, StringComparer.Ordinal);
            }
            catch (JsonException e)
            {
                files.Discard(path, $"is not valid JSON ({e.Message})");
            }
        }
        return new CodeAnalysisCache(path, entries, files);
    }

    public CodeAnalysis GetOrAdd(string target, Func<CodeAnalysis> analyze)
    {
        if (_entries.TryGetValue(target, out var known)) return known;
        var analysis = _entries.GetOrAdd(target, _ => analyze());
        Interlocked.Increment(ref _added);
        return analysis;
    }

    public void Save()
    {
        if (Volatile.Read(ref _added) == 0) return;
        var sorted = new SortedDictionary<string, CodeAnalysis>(_entries, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        _files.TryWrite(_path, stream => JsonSerializer.Serialize(stream, sorted, CodeAnalysisJson.Default.DictionaryStringCodeAnalysis));
    }
}

[JsonSerializable(typeof(Dictionary<string, CodeAnalysis>))]
internal sealed partial class CodeAnalysisJson : JsonSerializerContext;
