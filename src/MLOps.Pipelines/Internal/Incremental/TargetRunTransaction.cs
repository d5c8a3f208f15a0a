using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>
/// Makes a target's run atomic with respect to its outputs and the lock file. Begin (<see cref="TargetCache.BeginRun"/>)
/// moves the previous outputs aside; <see cref="Commit"/> hashes the new outputs, stores them (unless --no-cache),
/// records the lock entry and drops the backup; <see cref="Rollback"/> (or disposing without commit) deletes partial
/// outputs and puts the previous ones back. A process killed in between leaves the backup, which the next
/// <see cref="TargetCache.LockTarget"/>, <see cref="TargetCache.Evaluate"/> or <see cref="TargetCache.RecoverInterruptedRuns"/> restores.
/// </summary>
internal sealed class TargetRunTransaction : IDisposable
{
    readonly TargetCache _cache;
    readonly CacheDecision _decision;
    readonly OutputBackup _backup;
    readonly TargetLock? _ownedLock;
    bool _finished;

    internal TargetRunTransaction(TargetCache cache, CacheDecision decision, OutputBackup backup, TargetLock? ownedLock)
    {
        _cache = cache;
        _decision = decision;
        _backup = backup;
        _ownedLock = ownedLock;
    }

    public string Target => _decision.Spec.Name;

    /// <summary>
    /// Records the run's outputs. A declared output the target did not create throws <see cref="MissingPathException"/>
    /// and leaves the transaction open (roll it back). <paramref name="metrics"/> are headline numbers for the lock file.
    /// </summary>
    public void Commit(IReadOnlyDictionary<string, double>? metrics = null)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var recordedMetrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in metrics ?? new Dictionary<string, double>())
        {
            if (!double.IsFinite(value))
                throw new ArgumentException($"Target '{Target}' reported metric '{name}' = {value}; metrics must be finite numbers.", nameof(metrics));
            recordedMetrics[name] = value;
        }

        var outputs = new List<ActionOutput>();
        var files = new List<(string Full, string Relative)>();
        foreach (var (full, relative) in _decision.Outputs)
        {
            if (File.Exists(full) && _backup.Untouched(full))
            {
                throw new MissingPathException(
                    $"Target '{Target}' declares output '{relative}' ({full}) but did not write it this run (the previous file is untouched). Make the target write it or fix the .Outputs(...) declaration.", full);
            }
            if (File.Exists(full))
            {
                outputs.Add(new ActionOutput(relative, Directory: false));
                files.Add((full, relative));
            }
            else if (Directory.Exists(full))
            {
                outputs.Add(new ActionOutput(relative, Directory: true));
                files.AddRange(Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                    .Select(f => (f, _cache.Manifests.Relative(f))));
            }
            else
            {
                throw new MissingPathException(
                    $"Target '{Target}' declares output '{relative}' ({full}) but did not create it. Make the target write it or fix the .Outputs(...) declaration.", full);
            }
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));

        var hashedAt = FileStatus.NowNs();
        var hashed = new ActionFile[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (_cache.Options.NoCache)
            {
                var file = _cache.State.Hash(files[i].Full, files[i].Relative);
                hashed[i] = new ActionFile(file.Path, file.Size, file.Hash, "");
            }
            else
            {
                var size = new FileInfo(files[i].Full).Length;
                var (xxh3, sha256) = ContentHash.BothFile(files[i].Full);
                _cache.State.Record(files[i].Full, xxh3, hashedAt);
                hashed[i] = new ActionFile(files[i].Relative, size, xxh3, sha256);
            }
        });

        var action = new ActionRecord(ActionRecord.CurrentFormat, Target, _decision.Fingerprint, outputs, hashed, recordedMetrics);
        if (!_cache.Options.NoCache)
        {
            // The store is an accelerator: failing to fill it (a full disk, a folder in a blob's place) is a warning,
            // and the run's outputs and lock entry stand.
            try
            {
                foreach (var (file, i) in hashed.Select((f, i) => (f, i)))
                    _cache.Store.PutFile(files[i].Full, file.Sha256);
                _cache.Store.PutAction(action);
                var sources = hashed.Select((f, i) => (f.Sha256, files[i].Full)).DistinctBy(p => p.Sha256).ToDictionary(p => p.Sha256, p => p.Full, StringComparer.Ordinal);
                _cache.Remote?.PushAction(action, _cache.Store.BlobPath, file => Repair(file, sources[file.Sha256]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _cache.Options.Warn($"target '{Target}': its outputs could not be stored in {_cache.Store.Directory} ({e.Message}); they are built, but not cached.");
            }
        }

        _cache.LockFile.Update(Target, _cache.Entry(_decision, TargetCache.OutputEntries(action, _decision.Outputs), recordedMetrics));
        _backup.Discard();
        Finish();
    }

    /// <summary>A local blob that failed verification before an upload: evicted and stored again from the output just built.</summary>
    bool Repair(ActionFile file, string source)
    {
        _cache.Options.Warn($"content store blob {_cache.Store.BlobPath(file.Sha256)} (output {file.Path} of target '{Target}') does not match its digest; evicted and stored again from the output.");
        _cache.Store.DeleteBlob(file.Sha256);
        _cache.Store.PutFile(source, file.Sha256);
        return _cache.Store.IsIntact(file.Sha256);
    }

    /// <summary>Deletes whatever the run left at the declared outputs and puts the previous outputs back; the lock file is untouched.</summary>
    public void Rollback()
    {
        if (_finished)
            return;
        _backup.Restore(_cache.Root); // our own journal, written by this run: nothing to check against
        Finish();
    }

    /// <summary>Rolls back unless committed, so an exception or cancellation in the target restores the previous outputs.</summary>
    public void Dispose() => Rollback();

    void Finish()
    {
        _finished = true;
        _ownedLock?.Dispose();
    }
}
