using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.ML.Tests.Reports;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (a WebSocket on 127.0.0.1 with a port the browser
/// picks), so a test can load a page and ask what a person would see: did it render, did every image decode,
/// did anything log an error, did the page request anything beyond itself.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(90); // a hang guard on a loaded 2-core machine, not a timing check

    readonly Process _process;
    readonly TemporaryDirectory _profile;
    readonly ClientWebSocket _socket = new();
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    readonly ConcurrentQueue<(string Method, JsonElement Params)> _events = new();
    readonly StringBuilder _stderr = new();
    Task? _receiving;
    int _nextId;

    HeadlessChromium(Process process, TemporaryDirectory profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string Executable =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"Chromium is not installed at {Executable}: apt-get install -y --no-install-recommends chromium (.ci/run does).");
        var profile = new TemporaryDirectory("mlops-chromium-");
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1600", $"--user-data-dir={profile.Path}",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
            start.ArgumentList.Add(argument);

        var browser = new HeadlessChromium(Process.Start(start)!, profile);
        browser._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (browser._stderr) browser._stderr.AppendLine(e.Data); };
        browser._process.OutputDataReceived += (_, _) => { };
        browser._process.BeginErrorReadLine();
        browser._process.BeginOutputReadLine();
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
        return browser;
    }

    async Task ConnectAsync()
    {
        // With port 0 Chromium picks a free port and writes it (and the browser's path) to DevToolsActivePort.
        var portFile = _profile["DevToolsActivePort"];
        var waited = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllLines(portFile).Length < 2)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"Chromium exited with {_process.ExitCode} before opening DevTools: {Stderr()}");
            if (waited.Elapsed > Patience)
                throw new TimeoutException($"Chromium did not open DevTools: {Stderr()}");
            await Task.Delay(50);
        }
        var port = int.Parse(File.ReadAllLines(portFile)[0], System.Globalization.CultureInfo.InvariantCulture);

        using var http = new HttpClient { Timeout = Patience };
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
        var page = targets.FirstOrDefault(t => (string?)t!["type"] == "page")
            ?? throw new InvalidOperationException($"Chromium has no page target: {targets.ToJsonString()}");
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), _stop.Token);
        _receiving = Task.Run(ReceiveAsync);
    }

    public string Stderr()
    {
        lock (_stderr) return _stderr.ToString();
    }

    /// <summary>Sends a DevTools command and returns its result; a protocol error becomes an exception.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        return await reply.Task.WaitAsync(Patience);
    }

    /// <summary>Evaluates a JavaScript expression in the page (the test's probe, not part of the report) and returns its value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"page script failed: {exception}");
        return result.GetProperty("result").GetProperty("value");
    }

    /// <summary>Loads <paramref name="url"/>, waits for its load event, and reports what went wrong on the way.</summary>
    public async Task<PageLoad> LoadAsync(string url)
    {
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Network.enable");
        _events.Clear();
        var navigation = await SendAsync("Page.navigate", new { url });
        if (navigation.TryGetProperty("errorText", out var navigationError))
            throw new InvalidOperationException($"Chromium could not open {url}: {navigationError}");

        var waited = Stopwatch.StartNew();
        while (!_events.Any(e => e.Method == "Page.loadEventFired"))
        {
            if (waited.Elapsed > Patience) throw new TimeoutException($"{url} did not finish loading");
            await Task.Delay(20);
        }
        // Messages logged during load arrive as events; one round trip flushes any still in flight.
        await EvaluateAsync("document.readyState");
        return Collect();
    }

    PageLoad Collect()
    {
        var errors = new List<string>();
        var requests = new List<string>();
        foreach (var (method, parameters) in _events)
        {
            switch (method)
            {
                case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert":
                    errors.Add("console." + parameters.GetProperty("type").GetString() + ": " +
                               string.Join(" ", parameters.GetProperty("args").EnumerateArray().Select(a =>
                                   a.TryGetProperty("value", out var v) ? v.ToString() : a.GetProperty("type").GetString())));
                    break;
                case "Runtime.exceptionThrown":
                    errors.Add("exception: " + parameters.GetProperty("exceptionDetails").GetProperty("text").GetString());
                    break;
                case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                    errors.Add("log: " + parameters.GetProperty("entry").GetProperty("text").GetString());
                    break;
                case "Network.loadingFailed":
                    errors.Add("network: " + parameters.GetProperty("errorText").GetString());
                    break;
                case "Network.requestWillBeSent":
                    requests.Add(parameters.GetProperty("request").GetProperty("url").GetString()!);
                    break;
            }
        }
        return new PageLoad(errors, requests);
    }

    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;

                using var document = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = document.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
                {
                    if (root.TryGetProperty("error", out var error))
                        reply.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
                    else
                        reply.TrySetResult(root.GetProperty("result").Clone());
                }
                else if (root.TryGetProperty("method", out var method))
                {
                    _events.Enqueue((method.GetString()!, root.TryGetProperty("params", out var p) ? p.Clone() : default));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser is going away.
        }
        foreach (var reply in _pending.Values)
            reply.TrySetException(new InvalidOperationException($"DevTools connection closed. Chromium said: {Stderr()}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        if (_receiving is not null)
            await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _socket.Dispose();
        _stop.Dispose();
        _profile.Dispose(); // Chromium's helpers may hold files a moment longer: then the system cleans its temp folder
    }
}

/// <summary>What happened while a page loaded: error messages (console, exceptions, browser log, failed loads) and every URL requested.</summary>
internal sealed record PageLoad(IReadOnlyList<string> Errors, IReadOnlyList<string> Requests);
