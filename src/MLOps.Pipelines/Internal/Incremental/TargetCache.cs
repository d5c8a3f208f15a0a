using System.Collections.Concurrent;
using System.Text;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>
/// The incremental-execution layer the runner calls, per target:
/// <code>
/// using var cache = new TargetCache(root, options);
/// cache.RecoverInterruptedRuns();                      // once at start
/// using (cache.LockTarget(spec.Name))                  // the same target never runs twice at once
/// {
///     var decision = cache.Evaluate(spec);             // UpToDate | RestoreLocal | RestoreRemote | Run, with reasons
///     if (decision.Kind is RestoreLocal or RestoreRemote &amp;&amp; cache.TryRestore(decision).Restored) → Restored
///     else if (decision.Kind != UpToDate)
///     {
///         using var run = cache.BeginRun(decision);    // previous outputs moved aside
///         execute the target; run.Commit(metrics);     // or Rollback() / Dispose() on failure: previous outputs back
///     }
/// }
/// </code>
/// Early cutoff follows from fingerprints over input content: a dependant whose inputs came out byte-identical stays up to date.
/// Safe for several processes on one repository: per-target locks (no repository-wide lock), atomic writes everywhere.
/// </summary>
internal sealed class TargetCache : IDisposable
{
    readonly CacheOptions _options;
    readonly FileStateCache _state;
    readonly ManifestBuilder _manifests;
    readonly ContentStore _store;
    readonly RemoteCache? _remote;
    readonly ConcurrentDictionary<string, TargetLock> _held = new(StringComparer.Ordinal);

    public TargetCache(string root, CacheOptions? options = null)
    {
        Root = Path.GetFullPath(root);
        _options = options ?? new CacheOptions();
        _state = FileStateCache.Load(Path.Combine(Root, ".nuke", "state"), _options.Warn);
        _manifests = new ManifestBuilder(Root, _state);
        _store = new ContentStore(Path.Combine(Root, ".nuke", "cache"), _options.Warn);
        LockFile = new LockFile(Root);
        if (_options.RemoteUrl is { } url && !_options.NoCache)
            _remote = new RemoteCache(url, _options.RemotePush, _options.Warn, _options.RemoteTimeout, _options.RemoteToken, _options.RemoteMaxBlobBytes);
    }

    public string Root { get; }
    public LockFile LockFile { get; }

    /// <summary>Files actually read for hashing by this instance (state hits read nothing): for diagnostics and benchmarks.</summary>
    public long HashedFileCount => _state.HashedFileCount;

    internal ContentStore Store => _store;
    internal FileStateCache State => _state;
    internal RemoteCache? Remote => _remote;
    internal CacheOptions Options => _options;
    internal ManifestBuilder Manifests => _manifests;

    /// <summary>Decides what to do with a target. A declared input that does not exist throws <see cref="MissingPathException"/>.</summary>
    public CacheDecision Evaluate(TargetSpec spec, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RecoverIfOrphaned(spec.Name);

        var outputs = ResolveOutputs(spec);
        var inputs = new FingerprintInputs(spec.Name, _manifests.BuildInputs(spec.Name, spec.Inputs), spec.Parameters,
            spec.CodeHash, spec.Version, spec.ToolVersions, [.. outputs.Select(o => o.Relative)]);
        var fingerprint = Fingerprint.Compute(inputs);
        var previous = LockFile.Read().GetValueOrDefault(spec.Name);
        var observed = outputs.Select(o => new ObservedOutput(o.Relative, _manifests.Observe(o.Full)?.Entry)).ToList();
        var reasons = RunExplanation.Explain(previous, inputs, observed, _state.TryGetTree);

        if (force)
            return new CacheDecision(spec, CacheDecisionKind.Run, fingerprint, ["forced", .. reasons], inputs, outputs, null);
        if (previous is not null && previous.Fingerprint == fingerprint && reasons.Count == 0)
            return new CacheDecision(spec, CacheDecisionKind.UpToDate, fingerprint, [], inputs, outputs, null);
        if (!_options.NoCache)
        {
            if (_store.TryGetAction(fingerprint) is { } local && _store.CanRestore(local) && Matches(local, outputs))
                return new CacheDecision(spec, CacheDecisionKind.RestoreLocal, fingerprint, reasons, inputs, outputs, local);
            if (_remote?.TryGetAction(fingerprint) is { } remote && Matches(remote, outputs) && WithinCeiling(remote))
                return new CacheDecision(spec, CacheDecisionKind.RestoreRemote, fingerprint, reasons, inputs, outputs, remote);
        }
        return new CacheDecision(spec, CacheDecisionKind.Run, fingerprint, reasons, inputs, outputs, null);
    }

    /// <summary>
    /// Restores the decided outputs from the local store or the remote cache, verifying every file; on success records
    /// the target in the lock file. On failure (a corrupted or missing blob, an unreachable remote) nothing at the
    /// outputs was touched and the runner runs the target. Call it while holding <see cref="LockTarget"/>.
    /// </summary>
    public RestoreResult TryRestore(CacheDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Action is not { } action || decision.Kind is not (CacheDecisionKind.RestoreLocal or CacheDecisionKind.RestoreRemote))
            return RestoreResult.Failed($"target '{decision.Spec.Name}' has nothing to restore ({decision.Kind})");

        // The cache is an accelerator, never a dependency: whatever goes wrong here (a record that slipped past the
        // checks, a full disk, a folder where a blob should be) becomes one warning and "run the target".
        try
        {
            if (decision.Kind == CacheDecisionKind.RestoreRemote && DownloadMissingBlobs(action) is { } failure)
                return RestoreResult.Failed(failure);

            var restored = OutputRestorer.Restore(this, action, decision.Outputs);
            if (!restored.Restored)
                return restored;
            // A remote record joins the local store only once it has been restored from, so a bad one is never kept.
            if (decision.Kind == CacheDecisionKind.RestoreRemote)
                _store.PutAction(action);
            LockFile.Update(decision.Spec.Name, Entry(decision, OutputEntries(action, decision.Outputs), action.Metrics));
            return restored;
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException)
        {
            var where = decision.Kind == CacheDecisionKind.RestoreLocal ? "the local store" : $"the remote cache {_remote?.Describe}";
            _options.Warn($"target '{decision.Spec.Name}': restoring from {where} failed ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); the target runs instead.");
            return RestoreResult.Failed($"restore failed: {e.Message}");
        }
    }

    bool WithinCeiling(ActionRecord remote)
    {
        if (remote.Files.FirstOrDefault(f => f.Size > _options.RemoteMaxBlobBytes) is not { } large)
            return true;
        _options.Warn($"remote cache {_remote?.Describe}: action record ac/{remote.Fingerprint} declares {large.Path} as {large.Size} bytes, over the {_options.RemoteMaxBlobBytes}-byte ceiling ({CacheOptions.RemoteMaxBlobVariable} or --remote-cache-max-blob); treated as a miss.");
        return false;
    }

    string? DownloadMissingBlobs(ActionRecord action)
    {
        foreach (var file in action.Files.DistinctBy(f => f.Sha256))
        {
            if (_store.HasBlob(file.Sha256))
                continue;
            var temp = AtomicFile.TempNameBeside(_store.BlobPath(file.Sha256));
            if (_remote is null || !_remote.TryDownloadBlob(file.Sha256, file.Size, temp))
            {
                AtomicFile.TryDelete(temp);
                return $"the remote cache could not provide {file.Path} (cas/{file.Sha256})";
            }
            _store.Import(temp, file.Sha256);
        }
        return null;
    }

    /// <summary>Takes the target's inter-process lock, waiting while another process holds it; recovers an orphaned backup.</summary>
    public TargetLock LockTarget(string target, Action? onWait = null, CancellationToken cancellation = default)
    {
        var inner = InterProcessLock.Acquire(LockPath(target), onWait, cancellation: cancellation);
        var handle = new TargetLock(target, inner, this);
        _held[target] = handle;
        // Holding the lock, any backup of this target belongs to a process that died (flock dies with its holder).
        if (OutputBackup.Find(Root, target) is { } backup)
            RecoverBackup(backup, target);
        return handle;
    }

    internal void Released(TargetLock handle) => _held.TryRemove(new KeyValuePair<string, TargetLock>(handle.Target, handle));

    /// <summary>Starts a run: moves the previous outputs aside. Takes the target lock itself when not already held here.</summary>
    public TargetRunTransaction BeginRun(CacheDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var owned = _held.ContainsKey(decision.Spec.Name) ? null : LockTarget(decision.Spec.Name);
        try
        {
            var backup = OutputBackup.Begin(Root, decision.Spec.Name, decision.Outputs);
            return new TargetRunTransaction(this, decision, backup, owned);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    /// <summary>Puts back the previous outputs of every target whose run was killed (its backup is left and its lock is free).</summary>
    public IReadOnlyList<string> RecoverInterruptedRuns()
    {
        var recovered = new List<string>();
        foreach (var directory in OutputBackup.FindAll(Root))
        {
            var backup = OutputBackup.Open(directory);
            var target = backup.Owner()?.Target ?? Path.GetFileName(directory);
            using var probe = InterProcessLock.TryAcquire(LockPath(target));
            if (probe is null)
                continue; // its run is alive in another process (or in this one)
            recovered.Add(RecoverBackup(backup, target));
        }
        return recovered;
    }

    void RecoverIfOrphaned(string target)
    {
        if (OutputBackup.Find(Root, target) is not { } backup || _held.ContainsKey(target))
            return;
        using var probe = InterProcessLock.TryAcquire(LockPath(target));
        if (probe is not null)
            RecoverBackup(backup, target);
    }

    readonly ConcurrentDictionary<string, bool> _reportedBackups = new(StringComparer.Ordinal);

    string RecoverBackup(OutputBackup backup, string target)
    {
        var pid = backup.Owner()?.Pid;
        var recovery = backup.Restore(Root, path => DeclaredOutputProblem(target, path), _options.ReadOnly);
        var interrupted = $"target '{target}': a run interrupted{(pid is { } p ? $" in process {p}" : "")} left a backup";
        var message = recovery.Kind switch
        {
            BackupRecoveryKind.PutBack => $"{interrupted}; its previous outputs were put back.",
            BackupRecoveryKind.NothingSaved => $"{interrupted} holding no saved outputs; removed.",
            BackupRecoveryKind.WouldPutBack => $"{interrupted} at {backup.Directory}; a build would put its previous outputs back (nothing moved: --dry-run).",
            _ => $"{interrupted}, but {recovery.Detail}.",
        };
        // A dry run finds the same backup for every look at the target: say it once.
        if (_reportedBackups.TryAdd(backup.Directory + "|" + recovery.Kind, true) || !_options.ReadOnly)
            _options.Warn(message);
        return message;
    }

    /// <summary>Whether a journal path is one of the target's declared outputs (when the build declares the target).</summary>
    string? DeclaredOutputProblem(string target, string path)
    {
        if (_options.DeclaredOutputs is not { } declared)
            return null;
        if (declared(target) is not { } outputs)
            return $"and this build declares no target '{target}' to check it against";
        return outputs.Any(o => string.Equals(_manifests.Relative(_manifests.Full(o)), path, StringComparison.Ordinal))
            ? null
            : $"which is not a declared output of target '{target}'";
    }

    /// <summary>Removes store entries by age and/or size; whatever the lock file references is always kept.</summary>
    public PruneResult Prune(PruneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kept = LockFile.Read().Values.Select(e => e.Fingerprint).ToHashSet(StringComparer.Ordinal);
        return _store.Prune(options.MaxAge, options.MaxBytes, kept);
    }

    /// <summary>Writes the file-state record (also done on <see cref="Dispose"/>).</summary>
    public void Flush() => _state.Save();

    public void Dispose()
    {
        _state.Save();
        _remote?.Dispose();
    }

    internal LockEntry Entry(CacheDecision decision, IReadOnlyList<ManifestEntry> outputs, IReadOnlyDictionary<string, double> metrics) =>
        new(decision.Fingerprint, decision.Spec.CodeHash, decision.Spec.Version,
            new SortedDictionary<string, string>(decision.Spec.Parameters.ToDictionary(), StringComparer.Ordinal),
            new SortedDictionary<string, string>(decision.Spec.ToolVersions.ToDictionary(), StringComparer.Ordinal),
            decision.FingerprintInputs.Inputs.Entries, outputs, metrics);

    internal static IReadOnlyList<ManifestEntry> OutputEntries(ActionRecord action, IReadOnlyList<(string Full, string Relative)> outputs) =>
        action.Outputs.Select(o => o.Directory
            ? TreeHash.Entry(o.Path, action.Files.Where(f => f.Path.StartsWith(o.Path + "/", StringComparison.Ordinal))
                .Select(f => new ManifestFile(f.Path, f.Size, f.Xxh3)).OrderBy(f => f.Path, StringComparer.Ordinal).ToList())
            : action.Files.Where(f => f.Path == o.Path).Select(f => new ManifestEntry(f.Path, f.Size, f.Xxh3)).Single())
        .OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

    /// <summary>An action record (possibly remote, so untrusted) fits when it declares exactly our outputs and every file lies inside one.</summary>
    static bool Matches(ActionRecord action, IReadOnlyList<(string Full, string Relative)> outputs)
    {
        var declared = outputs.Select(o => o.Relative).ToHashSet(StringComparer.Ordinal);
        if (!declared.SetEquals(action.Outputs.Select(o => o.Path)))
            return false;
        foreach (var file in action.Files)
        {
            if (file.Path.Split('/').Any(s => s is "" or "." or ".."))
                return false;
            var owner = action.Outputs.FirstOrDefault(o => o.Directory ? file.Path.StartsWith(o.Path + "/", StringComparison.Ordinal) : file.Path == o.Path);
            if (owner is null)
                return false;
        }
        return action.Outputs.Where(o => !o.Directory).All(o => action.Files.Count(f => f.Path == o.Path) == 1);
    }

    IReadOnlyList<(string Full, string Relative)> ResolveOutputs(TargetSpec spec) =>
        spec.Outputs.Distinct(StringComparer.Ordinal).Select(declared =>
        {
            if (ManifestBuilder.IsGlob(declared))
                throw new ArgumentException($"Target '{spec.Name}' declares output '{declared}': outputs must be files or directories, not patterns.", nameof(spec));
            var full = _manifests.Full(declared);
            if (full == Root)
                throw new ArgumentException($"Target '{spec.Name}' declares the repository root as an output; declare a folder under it.", nameof(spec));
            return (full, _manifests.Relative(full));
        }).OrderBy(o => o.Item2, StringComparer.Ordinal).ToList();

    internal string LockPath(string target) => Path.Combine(Root, ".nuke", "temp", "locks", SafeName(target) + ".lock");

    /// <summary>A file-name-safe form of a target name (names are C# identifiers in practice; anything else is encoded).</summary>
    internal static string SafeName(string target)
    {
        if (target.Length > 0 && target.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && target[0] != '.')
            return target;
        var cleaned = new string([.. target.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
        return cleaned + "-" + ContentHash.Xxh3(Encoding.UTF8.GetBytes(target))[..8];
    }
}

/// <summary>A held per-target inter-process lock; dispose to release.</summary>
internal sealed class TargetLock : IDisposable
{
    readonly InterProcessLock _inner;
    readonly TargetCache _owner;

    internal TargetLock(string target, InterProcessLock inner, TargetCache owner)
    {
        Target = target;
        _inner = inner;
        _owner = owner;
    }

    public string Target { get; }

    public void Dispose()
    {
        _owner.Released(this);
        _inner.Dispose();
    }
}
