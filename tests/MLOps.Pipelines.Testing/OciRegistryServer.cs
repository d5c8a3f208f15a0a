using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MLOps.Pipelines.Testing;

/// <summary>
/// An OCI registry on loopback for a test: the one <c>.ci/run</c> started (<c>MLOPS_TEST_REGISTRY</c>, host:port) when
/// set, else Debian's <c>docker-registry</c> (distribution 2.8) started here on a free port with its own storage folder
/// and killed by PID on dispose. Tests give each run its own repository path, so sharing the registry is safe.
/// </summary>
public sealed class OciRegistryServer : IDisposable
{
    const string Binary = "/usr/bin/docker-registry";
    readonly Process? _process;
    readonly TemporaryDirectory? _directory;

    public OciRegistryServer()
    {
        if (Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY") is { Length: > 0 } shared)
        {
            Address = shared;
            return;
        }
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"{Binary} is missing and MLOPS_TEST_REGISTRY is not set: apt-get install docker-registry, or run .ci/run (it starts one).");
        _directory = new TemporaryDirectory("mlops-registry-");
        var storage = _directory.CreateDirectory("storage");
        var port = LoopbackPort.Free();
        var config = _directory["registry.yml"];
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {storage}
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
        for (var i = 0; i < 200; i++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"docker-registry exited ({_process.ExitCode}) on port {port}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new InvalidOperationException($"docker-registry did not listen on 127.0.0.1:{port} within 10 s");
    }

    /// <summary>host:port of the registry (plain HTTP, loopback).</summary>
    public string Address { get; }

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
