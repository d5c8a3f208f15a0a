using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Internal.Incremental;

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
    /// <summary>Set to a size (5GB, 500MB, bytes) to change <see cref="RemoteMaxBlobBytes"/>.</summary>
    public const string RemoteMaxBlobVariable = "MLOPS_REMOTE_CACHE_MAX_BLOB";
    /// <summary>Set to seconds to change <see cref="RemoteTimeout"/>.</summary>
    public const string RemoteTimeoutVariable = "MLOPS_REMOTE_CACHE_TIMEOUT";
    /// <summary>The largest blob a remote download may bring (a record declaring more is a cache miss). Default 8 GiB.</summary>
    public long RemoteMaxBlobBytes { get; init; } = 8L << 30;
    /// <summary>The declared outputs of a target of this build (absolute or root-relative), null for a target it does not declare; recovery checks journals against them.</summary>
    public Func<string, IReadOnlyList<string>?>? DeclaredOutputs { get; init; }
    /// <summary>Only look (--dry-run): recovery of interrupted runs reports what it would do and moves or deletes nothing.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// Options with the remote cache taken from the environment. A URL that is not http(s) is a warning and no remote
    /// (the cache is an accelerator); a token or size that cannot be used is a <see cref="BuildConfigurationException"/>.
    /// </summary>
    public static CacheOptions FromEnvironment(bool noCache = false, Action<string>? warn = null)
    {
        var url = Environment.GetEnvironmentVariable(RemoteUrlVariable);
        var push = Environment.GetEnvironmentVariable(RemotePushVariable);
        var token = Environment.GetEnvironmentVariable(RemoteTokenVariable);
        var maxBlob = Environment.GetEnvironmentVariable(RemoteMaxBlobVariable);
        var timeout = Environment.GetEnvironmentVariable(RemoteTimeoutVariable);
        var options = new CacheOptions
        {
            RemoteToken = string.IsNullOrWhiteSpace(token) ? null : CheckToken(token),
            NoCache = noCache,
            RemoteUrl = string.IsNullOrWhiteSpace(url) ? null : TryRemoteUrl(url, RemoteUrlVariable, warn ?? (_ => { })),
            RemotePush = push is "1" || string.Equals(push, "true", StringComparison.OrdinalIgnoreCase),
        };
        if (!string.IsNullOrWhiteSpace(maxBlob))
            options = options with { RemoteMaxBlobBytes = ParseSize(maxBlob, RemoteMaxBlobVariable) };
        if (!string.IsNullOrWhiteSpace(timeout))
        {
            options = options with
            {
                RemoteTimeout = double.TryParse(timeout, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                    && double.IsFinite(seconds) && seconds is > 0 and <= 3600
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new BuildConfigurationException($"{RemoteTimeoutVariable}={timeout}: expected seconds between 0 and 3600, e.g. {RemoteTimeoutVariable}=10."),
            };
        }
        return options;
    }

    /// <summary>An absolute http(s) URL, or null with a warning that never shows the URL's password.</summary>
    internal static Uri? TryRemoteUrl(string text, string source, Action<string> warn)
    {
        if (Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            return url;
        warn($"{source}={Redact(text)} is not an http(s) URL such as http://127.0.0.1:8080/cache/; continuing without a remote cache.");
        return null;
    }

    /// <summary>A URL as it may be printed: any user:password before the host replaced by "***".</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var start = scheme < 0 ? 0 : scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var at = url.LastIndexOf('@', end < 0 ? url.Length - 1 : end - 1);
        return at >= start ? url[..start] + "***" + url[at..] : url;
    }

    static string CheckToken(string token) =>
        token.Any(char.IsControl)
            ? throw new BuildConfigurationException($"{RemoteTokenVariable} contains a control character (a line break?); set it to the token alone, e.g. without a trailing newline.")
            : token.Trim();

    /// <summary>A size such as 5GB, 500MB, 64KB or a number of bytes; positive and below 2^62.</summary>
    internal static long ParseSize(string text, string source)
    {
        var value = text.Trim().ToUpperInvariant();
        var (number, unit) = value.EndsWith("GB", StringComparison.Ordinal) ? (value[..^2], 1L << 30)
            : value.EndsWith("MB", StringComparison.Ordinal) ? (value[..^2], 1L << 20)
            : value.EndsWith("KB", StringComparison.Ordinal) ? (value[..^2], 1L << 10)
            : (value, 1L);
        return double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && double.IsFinite(n) && n > 0 && n * unit < (double)(1L << 62)
            ? (long)(n * unit)
            : throw new BuildConfigurationException($"{source} {text}: expected a positive size such as 4GB or 500MB.");
    }
}

/// <summary>Options of <see cref="TargetCache.Prune"/>: remove blobs unused for longer than MaxAge, then the least recently used until at most MaxBytes remain.</summary>
internal sealed record PruneOptions(TimeSpan? MaxAge = null, long? MaxBytes = null);
