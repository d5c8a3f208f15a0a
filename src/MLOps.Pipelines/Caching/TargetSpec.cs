namespace MLOps.Pipelines.Caching;

/// <summary>
/// What the cache needs to know about one target. Inputs and outputs are absolute paths or paths relative to the root;
/// an input may be a glob (<c>data/**/*.csv</c>). Parameters hold canonical string values of the non-secret
/// parameters the target reads — never pass a secret. <paramref name="CodeHash"/> is the IL hash of the target's code;
/// <paramref name="Version"/> the explicit <c>.Version("…")</c>; <paramref name="ToolVersions"/> the runtime and libraries that matter.
/// </summary>
internal sealed record TargetSpec(
    string Name,
    IReadOnlyList<string> Inputs,
    IReadOnlyDictionary<string, string> Parameters,
    string CodeHash,
    string? Version,
    IReadOnlyDictionary<string, string> ToolVersions,
    IReadOnlyList<string> Outputs);

/// <summary>How the runner treats a target.</summary>
internal enum CacheDecisionKind
{
    /// <summary>Fingerprint as recorded and outputs present with the recorded hashes: skip.</summary>
    UpToDate,
    /// <summary>The local store holds this fingerprint's outputs: restore them instead of running.</summary>
    RestoreLocal,
    /// <summary>The remote cache holds this fingerprint's outputs: download, verify, restore.</summary>
    RestoreRemote,
    /// <summary>Execute the target.</summary>
    Run,
}

/// <summary>The outcome of <see cref="TargetCache.Evaluate"/>: what to do, why, and the fingerprint it was decided on.</summary>
internal sealed class CacheDecision
{
    internal CacheDecision(TargetSpec spec, CacheDecisionKind kind, string fingerprint, IReadOnlyList<string> reasons,
        FingerprintInputs inputs, IReadOnlyList<(string Full, string Relative)> outputs, ActionRecord? action)
    {
        Spec = spec;
        Kind = kind;
        Fingerprint = fingerprint;
        Reasons = reasons;
        FingerprintInputs = inputs;
        Outputs = outputs;
        Action = action;
    }

    public TargetSpec Spec { get; }
    public CacheDecisionKind Kind { get; }
    public string Fingerprint { get; }

    /// <summary>Why the target is not up to date (empty when it is): "input data/x.csv changed", "parameter Trees: 200 → 300", …</summary>
    public IReadOnlyList<string> Reasons { get; }

    public FingerprintInputs FingerprintInputs { get; }
    internal IReadOnlyList<(string Full, string Relative)> Outputs { get; }
    internal ActionRecord? Action { get; }

    public override string ToString() => Reasons.Count == 0 ? $"{Spec.Name}: {Kind}" : $"{Spec.Name}: {Kind} ({string.Join("; ", Reasons)})";
}

/// <summary>The result of a restore: false with the reason when the runner must run the target instead.</summary>
internal sealed record RestoreResult(bool Restored, string? Failure)
{
    public static readonly RestoreResult Success = new(true, null);
    public static RestoreResult Failed(string reason) => new(false, reason);
}

/// <summary>How the cache behaves for one run.</summary>
internal sealed record CacheOptions
{
    /// <summary>The environment variable naming the remote cache's base URL (e.g. http://cache:8080/pipelines/).</summary>
    public const string RemoteUrlVariable = "MLOPS_REMOTE_CACHE";
    /// <summary>Set to 1/true to push to the remote cache (trusted CI only).</summary>
    public const string RemotePushVariable = "MLOPS_REMOTE_CACHE_PUSH";
    /// <summary>A bearer token for the remote cache (a CI secret); never logged.</summary>
    public const string RemoteTokenVariable = "MLOPS_REMOTE_CACHE_TOKEN";

    /// <summary>Neither read nor write the content store (local or remote); up-to-date checks and the lock file still work.</summary>
    public bool NoCache { get; init; }
    public Uri? RemoteUrl { get; init; }
    /// <summary>Upload outputs to the remote cache after a successful run. Off by default: only trusted CI writes.</summary>
    public bool RemotePush { get; init; }
    /// <summary>Sent as <c>Authorization: Bearer</c> when set (else user:token in the URL is sent as basic authentication).</summary>
    public string? RemoteToken { get; init; }
    /// <summary>Timeout of one remote request (headers; bodies get more time by size).</summary>
    public TimeSpan RemoteTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Where warnings go (corrupted blobs, an unreachable remote, recovered runs). Default: standard error.</summary>
    public Action<string> Warn { get; init; } = message => Console.Error.WriteLine($"warning: {message}");

    /// <summary>Options with the remote cache taken from <see cref="RemoteUrlVariable"/> and <see cref="RemotePushVariable"/>.</summary>
    public static CacheOptions FromEnvironment(bool noCache = false)
    {
        var url = Environment.GetEnvironmentVariable(RemoteUrlVariable);
        var push = Environment.GetEnvironmentVariable(RemotePushVariable);
        var token = Environment.GetEnvironmentVariable(RemoteTokenVariable);
        return new CacheOptions
        {
            RemoteToken = string.IsNullOrWhiteSpace(token) ? null : token,
            NoCache = noCache,
            RemoteUrl = string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute),
            RemotePush = push is "1" || string.Equals(push, "true", StringComparison.OrdinalIgnoreCase),
        };
    }
}

/// <summary>Options of <see cref="TargetCache.Prune"/>: remove blobs unused for longer than MaxAge, then the least recently used until at most MaxBytes remain.</summary>
internal sealed record PruneOptions(TimeSpan? MaxAge = null, long? MaxBytes = null);
