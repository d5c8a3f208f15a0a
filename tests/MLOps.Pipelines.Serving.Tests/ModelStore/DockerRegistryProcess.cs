using System.Diagnostics;

namespace MLOps.Pipelines.Serving.Tests.ModelStore;

/// <summary>
/// Debian's <c>docker-registry</c> (distribution 2.8), started for these tests on a free loopback port with its own
/// storage folder — so a test can damage a stored blob on disk — and stopped by its PID. Missing binary: the tests skip,
/// except under CI=true, where .ci/run installs it and they fail.
/// </summary>
public sealed class DockerRegistryProcess : IDisposable
{
    const string Binary = "/usr/bin/docker-registry";
    readonly Process? _process;
    readonly TemporaryDirectory _root = new("mlops-model-store-");

    public DockerRegistryProcess()
    {
        Root = _root.Path;
        Storage = Path.Combine(Root, "storage");
        if (!File.Exists(Binary)) return;
        Directory.CreateDirectory(Storage);
        Port = LoopbackPort.Free();
        var config = Path.Combine(Root, "registry.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Storage}
            http:
              addr: 127.0.0.1:{Port}
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (http.GetAsync(new Uri($"http://127.0.0.1:{Port}/v2/")).GetAwaiter().GetResult().IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode} on port {Port}");
            Thread.Sleep(100);
        }
        throw new InvalidOperationException($"docker-registry did not answer http://127.0.0.1:{Port}/v2/ within 10 s");
    }

    public string Root { get; }
    public string Storage { get; }
    public int Port { get; }

    /// <summary>host:port, after skipping the test where the registry cannot run (outside CI).</summary>
    public string Address
    {
        get
        {
            if (_process is null)
            {
                if (ExternalTool.InCi) throw new InvalidOperationException($"{Binary} is not installed; .ci/run installs Debian's docker-registry.");
                Skip.If(true, "docker-registry is not installed (apt-get install docker-registry); CI installs it.");
            }
            return $"127.0.0.1:{Port}";
        }
    }

    /// <summary>The file the registry keeps a blob in (distribution's filesystem layout).</summary>
    public string BlobFile(string hex) => Path.Combine(Storage, "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _root.Dispose();
    }
}
