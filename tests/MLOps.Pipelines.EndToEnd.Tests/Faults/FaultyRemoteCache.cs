using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>How the in-test remote cache misbehaves.</summary>
public enum RemoteFault
{
    /// <summary>Serves what was stored, as stored.</summary>
    None,
    /// <summary>Every blob comes back with other bytes of the same length.</summary>
    WrongBlob,
    /// <summary>Every blob is followed by an endless stream of bytes (chunked, no length).</summary>
    OversizeStream,
    /// <summary>Every blob stops half-way (chunked, no length).</summary>
    ShortStream,
    /// <summary>Answers nothing for 20 s (the client's timeout is set to 1 s).</summary>
    SlowServer,
    /// <summary>Resets the connection instead of answering.</summary>
    ConnectionReset,
    /// <summary>500 Internal Server Error for everything.</summary>
    ServerError,
    /// <summary>Action records declare every file as 10^15 bytes.</summary>
    AbsurdSize,
    /// <summary>Action records list a file twice.</summary>
    DuplicateFile,
    /// <summary>Action records list a file and a file inside it ("out/bundle/manifest.txt/x").</summary>
    FileInsideFile,
    /// <summary>Action records list a file at "out/bundle/../../../victim.txt".</summary>
    TraversalPath,
    /// <summary>Action records come back as 32 MiB of JSON whitespace.</summary>
    HugeRecord,
}

/// <summary>
/// A small Bazel-protocol HTTP cache (GET/PUT/HEAD /ac/*, /cas/*) on a free loopback port, with a switchable
/// <see cref="RemoteFault"/>; counts the bytes it sent so a test can tell a bounded download from an unbounded one.
/// </summary>
public sealed class FaultyRemoteCache : IDisposable
{
    readonly HttpListener _listener = new();
    readonly ConcurrentDictionary<string, byte[]> _store = new(StringComparer.Ordinal);
    readonly CancellationTokenSource _stop = new();
    long _bytesSent;

    public FaultyRemoteCache()
    {
        var port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public string Url { get; }
    public volatile RemoteFault Fault;
    public long BytesSent => Interlocked.Read(ref _bytesSent);
    public int Entries => _store.Count;
    public void ResetCounters() => Interlocked.Exchange(ref _bytesSent, 0);

    async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var key = context.Request.Url!.AbsolutePath.TrimStart('/');
            var fault = Fault;
            if (context.Request.HttpMethod == "PUT")
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _store[key] = body.ToArray();
                response.StatusCode = 201;
                response.Close();
                return;
            }
            switch (fault)
            {
                case RemoteFault.SlowServer:
                    await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token);
                    break;
                case RemoteFault.ConnectionReset:
                    response.Abort();
                    return;
                case RemoteFault.ServerError:
                    response.StatusCode = 500;
                    response.Close();
                    return;
            }
            if (!_store.TryGetValue(key, out var stored))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            if (context.Request.HttpMethod == "HEAD")
            {
                response.ContentLength64 = stored.Length;
                response.Close();
                return;
            }
            var isBlob = key.StartsWith("cas/", StringComparison.Ordinal);
            var body2 = isBlob ? Blob(stored, fault) : Record(stored, fault);
            if (isBlob && fault is RemoteFault.OversizeStream)
            {
                response.SendChunked = true;
                await Send(response, body2);
                var filler = new byte[1 << 16];
                while (!_stop.IsCancellationRequested)
                    await Send(response, filler); // until the client hangs up
                return;
            }
            if (isBlob && fault is RemoteFault.ShortStream)
            {
                response.SendChunked = true;
                await Send(response, body2[..(body2.Length / 2)]);
                response.Close();
                return;
            }
            response.ContentLength64 = body2.Length;
            await Send(response, body2);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            try { response.Abort(); } catch (ObjectDisposedException) { }
        }
    }

    async Task Send(HttpListenerResponse response, byte[] bytes)
    {
        await response.OutputStream.WriteAsync(bytes, _stop.Token);
        Interlocked.Add(ref _bytesSent, bytes.Length);
    }

    static byte[] Blob(byte[] stored, RemoteFault fault)
    {
        if (fault != RemoteFault.WrongBlob) return stored;
        var wrong = (byte[])stored.Clone();
        for (var i = 0; i < wrong.Length; i++) wrong[i] ^= 0x20;
        return wrong;
    }

    static byte[] Record(byte[] stored, RemoteFault fault)
    {
        if (fault == RemoteFault.HugeRecord) return [.. "{"u8, .. new byte[32 << 20].Select(_ => (byte)' '), .. "}"u8];
        if (fault is not (RemoteFault.AbsurdSize or RemoteFault.DuplicateFile or RemoteFault.FileInsideFile or RemoteFault.TraversalPath)) return stored;
        var record = JsonNode.Parse(stored)!.AsObject();
        var files = record["files"]!.AsArray();
        if (files.Count == 0) return stored;
        var first = files[0]!.AsObject();
        var output = record["outputs"]![0]!["path"]!.GetValue<string>();
        switch (fault)
        {
            case RemoteFault.AbsurdSize:
                foreach (var file in files) file!["size"] = 1_000_000_000_000_000L;
                break;
            case RemoteFault.DuplicateFile:
                files.Add(first.DeepClone());
                break;
            case RemoteFault.FileInsideFile:
                var inside = first.DeepClone().AsObject();
                inside["path"] = first["path"]!.GetValue<string>() + "/x";
                files.Add(inside);
                break;
            case RemoteFault.TraversalPath:
                var escape = first.DeepClone().AsObject();
                escape["path"] = output + "/../../../victim.txt";
                files.Add(escape);
                break;
        }
        return System.Text.Encoding.UTF8.GetBytes(record.ToJsonString());
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
