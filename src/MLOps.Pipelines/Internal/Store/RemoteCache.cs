using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Store;

/// <summary>
/// A client of Bazel's HTTP remote-cache protocol (as served by bazel-remote, or nginx with WebDAV):
/// <c>GET/PUT {base}/ac/&lt;fingerprint&gt;</c> holds our JSON <see cref="ActionRecord"/>, <c>GET/PUT/HEAD {base}/cas/&lt;sha256&gt;</c>
/// each blob. Every downloaded blob is hashed while it streams to disk and rejected on a SHA-256 mismatch. The cache is
/// an accelerator, never a dependency: any network or server failure becomes one warning, after which the remote is
/// not asked again in this process (so a dead server costs one short timeout, not one per target).
/// bazel-remote validates /ac bodies as protobuf ActionResults unless started with --disable_http_ac_validation.
/// </summary>
internal sealed class RemoteCache : IDisposable
{
    readonly HttpClient _http;
    readonly Uri _base;
    readonly Action<string> _warn;
    readonly TimeSpan _requestTimeout;
    int _disabled;

    readonly long _maxBlobBytes;

    public RemoteCache(Uri baseUrl, bool push, Action<string> warn, TimeSpan? requestTimeout = null, string? bearerToken = null, long maxBlobBytes = 8L << 30)
    {
        _maxBlobBytes = maxBlobBytes;
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Push = push;
        _warn = warn;
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10);
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // per request below: short for headers, long for bodies
        };
        if (bearerToken is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        else if (!string.IsNullOrEmpty(_base.UserInfo))
        {
            // https://user:token@cache.example/ → basic authentication, as bazel's --remote_cache accepts.
            var credentials = Uri.UnescapeDataString(_base.UserInfo);
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        }
    }

    public bool Push { get; }
    public bool Available => Volatile.Read(ref _disabled) == 0;
    public string Describe => $"{_base.Scheme}://{_base.Authority}{_base.AbsolutePath}";

    /// <summary>The action record for a fingerprint, or null (absent, malformed, or the server unreachable).</summary>
    public ActionRecord? TryGetAction(string fingerprint)
    {
        var body = TryGetBytes($"ac/{fingerprint}");
        if (body is null)
            return null;
        var record = ActionRecord.TryParse(body, fingerprint);
        if (record is null)
            _warn($"remote cache {Describe}: ignoring malformed action entry ac/{fingerprint}.");
        return record;
    }

    /// <summary>The largest blob this client downloads.</summary>
    public long MaxBlobBytes => _maxBlobBytes;

    /// <summary>
    /// Downloads a blob to <paramref name="destination"/>, reading at most <paramref name="expectedSize"/> bytes (a longer
    /// body is cut off and rejected) and verifying its size and SHA-256; false (and no file) otherwise. A declared size
    /// above <see cref="MaxBlobBytes"/> is not downloaded at all.
    /// </summary>
    public bool TryDownloadBlob(string sha256, long expectedSize, string destination)
    {
        if (!Available)
            return false;
        if (expectedSize < 0 || expectedSize > _maxBlobBytes)
        {
            _warn($"remote cache {Describe}: blob cas/{sha256} is declared as {expectedSize} bytes, over the {_maxBlobBytes}-byte ceiling ({CacheOptions.RemoteMaxBlobVariable} or --remote-cache-max-blob); not downloaded.");
            return false;
        }
        try
        {
            using var cancel = new CancellationTokenSource(_requestTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, $"cas/{sha256}"));
            using var response = _http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return false;
            if (!response.IsSuccessStatusCode)
            {
                _warn($"remote cache {Describe}: GET cas/{sha256} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                return false;
            }
            if (response.Content.Headers.ContentLength is { } length && length != expectedSize)
            {
                _warn($"remote cache {Describe}: blob cas/{sha256} is {length} bytes where its record declares {expectedSize}; rejected, not restored.");
                return false;
            }
            cancel.CancelAfter(BodyTimeout(expectedSize));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            using (var body = response.Content.ReadAsStream(cancel.Token))
            using (var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var buffer = new byte[1 << 16];
                int read;
                // One byte more than declared is enough to know the body is too long: never read on.
                while ((read = body.Read(buffer, 0, (int)Math.Min(buffer.Length, expectedSize + 1 - total))) > 0)
                {
                    total += read;
                    if (total > expectedSize)
                        break;
                    hash.AppendData(buffer, 0, read);
                    file.Write(buffer, 0, read);
                }
            }
            if (total != expectedSize)
            {
                AtomicFile.TryDelete(destination);
                _warn($"remote cache {Describe}: blob cas/{sha256} sent {(total > expectedSize ? "more than" : "only")} {Math.Min(total, expectedSize)} of its declared {expectedSize} bytes; rejected, not restored.");
                return false;
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (actual != sha256)
            {
                AtomicFile.TryDelete(destination);
                _warn($"remote cache {Describe}: blob cas/{sha256} failed verification (its content hashes to {actual}); rejected, not restored.");
                return false;
            }
            return true;
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            AtomicFile.TryDelete(destination);
            Disable($"GET cas/{sha256}", e);
            return false;
        }
    }

    /// <summary>
    /// Uploads the blobs (those the server lacks) and then the action record; warnings only on failure. Every local blob
    /// is verified against its name before it leaves: a corrupt one is handed to <paramref name="repair"/> (which
    /// evicts it and stores the output again, true when the blob is now intact), else nothing of the action is pushed.
    /// </summary>
    public void PushAction(ActionRecord record, Func<string, string> blobPath, Func<ActionFile, bool>? repair = null)
    {
        if (!Push || !Available)
            return;
        foreach (var file in record.Files.DistinctBy(f => f.Sha256))
        {
            if (Exists($"cas/{file.Sha256}"))
                continue;
            var path = blobPath(file.Sha256);
            if (!IsIntact(path, file) && !(repair?.Invoke(file) == true && IsIntact(path, file)))
            {
                _warn($"content store blob {path} (output {file.Path} of target '{record.Target}') does not match its digest; not pushed to {Describe}.");
                return;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (!TryPut($"cas/{file.Sha256}", new StreamContent(stream), file.Size))
                return;
        }
        TryPut($"ac/{record.Fingerprint}", new ByteArrayContent(record.ToJson()), 0);
    }

    static bool IsIntact(string path, ActionFile file)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists && info.LinkTarget is null && info.Length == file.Size && ContentHash.Sha256File(path) == file.Sha256;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    byte[]? TryGetBytes(string key)
    {
        if (!Available)
            return null;
        try
        {
            using var cancel = new CancellationTokenSource(_requestTimeout);
            using var response = _http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(_base, key)), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            if (!response.IsSuccessStatusCode)
            {
                _warn($"remote cache {Describe}: GET {key} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
                return null;
            }
            if (response.Content.Headers.ContentLength > ContentStore.MaxActionRecordBytes)
            {
                _warn($"remote cache {Describe}: GET {key} declares {response.Content.Headers.ContentLength} bytes, too large for an action record; ignored.");
                return null;
            }
            using var body = response.Content.ReadAsStream(cancel.Token);
            using var copy = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = body.Read(buffer)) > 0)
            {
                copy.Write(buffer, 0, read);
                if (copy.Length > ContentStore.MaxActionRecordBytes)
                {
                    _warn($"remote cache {Describe}: GET {key} sent more than {ContentStore.MaxActionRecordBytes} bytes, too large for an action record; ignored.");
                    return null;
                }
            }
            return copy.ToArray();
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            Disable($"GET {key}", e);
            return null;
        }
    }

    bool Exists(string key)
    {
        try
        {
            using var cancel = new CancellationTokenSource(_requestTimeout);
            using var response = _http.Send(new HttpRequestMessage(HttpMethod.Head, new Uri(_base, key)), cancel.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            return false; // the PUT that follows reports the failure
        }
    }

    bool TryPut(string key, HttpContent content, long size)
    {
        try
        {
            using (content)
            {
                using var cancel = new CancellationTokenSource(BodyTimeout(size));
                using var response = _http.Send(new HttpRequestMessage(HttpMethod.Put, new Uri(_base, key)) { Content = content }, cancel.Token);
                if (response.IsSuccessStatusCode)
                    return true;
                _warn($"remote cache {Describe}: PUT {key} answered {(int)response.StatusCode} {response.ReasonPhrase}; not pushed.");
                return false;
            }
        }
        catch (Exception e) when (IsNetworkFailure(e))
        {
            Disable($"PUT {key}", e);
            return false;
        }
    }

    // ≥ 1 MiB/s, capped at a day (CancelAfter rejects more than ~24.8 days; sizes are capped by MaxBlobBytes anyway).
    TimeSpan BodyTimeout(long size) => _requestTimeout + TimeSpan.FromSeconds(Math.Min(Math.Max(size, 0) / (1 << 20), 86_400));

    void Disable(string what, Exception e)
    {
        if (Interlocked.Exchange(ref _disabled, 1) == 0)
            _warn($"remote cache {Describe} unreachable ({what}: {Innermost(e)}); continuing without it for this run.");
    }

    static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e is OperationCanceledException ? "timed out" : e.Message;
    }

    static bool IsNetworkFailure(Exception e) => e is HttpRequestException or IOException or OperationCanceledException;

    public void Dispose() => _http.Dispose();
}
