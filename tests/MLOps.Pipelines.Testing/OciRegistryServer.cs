using System.Diagnostics;

namespace MLOps.Pipelines.Testing;

/// <summary>
/// An OCI registry on loopback for a test: by default the one <c>.ci/run</c> started (<c>MLOPS_TEST_REGISTRY</c>,
/// host:port) when set, else — or always, with <c>shareCiRegistry: false</c>, for a test that must reach the stored
/// blobs on disk — Debian's <c>docker-registry</c> (distribution 2.8) started here on a free port with its own storage
/// folder and killed by PID on dispose. Tests give each run its own repository path, so sharing the registry is safe.
/// </summary>
public sealed class OciRegistryServer : IDisposable
{
    /// <summary>Where Debian installs the registry.</summary>
    public const string Binary = "/usr/bin/docker-registry";

    readonly Process? _process;
    readonly TemporaryDirectory? _directory;

    public OciRegistryServer(bool shareCiRegistry = true)
    {
        if (shareCiRegistry && Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY") is { Length: > 0 } shared)
        {
            Address = shared;
            return;
        }
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing and MLOPS_TEST_REGISTRY is not set: apt-get install docker-registry, or run .ci/run (it starts one).");
        _directory = new TemporaryDirectory("mlops-registry-");
        Storage = _directory.CreateDirectory("storage");
        var port = LoopbackPort.Free();
        var config = _directory["registry.yml"];
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Storage}
            http:
              addr: 127.0.0.1:{port}
            """);
        _process = Process.Start(new ProcessStartInfo(Binary, ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true })
                   ?? throw new InvalidOperationException("docker-registry did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Address = $"127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (http.GetAsync(new Uri($"http://{Address}/v2/")).GetAwaiter().GetResult().IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited ({_process.ExitCode}) on port {port}");
            Thread.Sleep(100);
        }
        throw new InvalidOperationException($"docker-registry did not answer http://{Address}/v2/ within 10 s");
    }

    /// <summary>host:port of the registry (plain HTTP, loopback).</summary>
    public string Address { get; }

    /// <summary>The registry's storage folder when it was started here; null for the shared CI registry.</summary>
    public string? Storage { get; }

    /// <summary>The file the registry keeps a blob in (distribution's filesystem layout); only for a registry started here.</summary>
    public string BlobFile(string hex) =>
        Path.Combine(Storage ?? throw new InvalidOperationException("the shared CI registry's storage is not reachable from a test"),
            "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        _directory?.Dispose();
    }
}
