using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MLOps.Pipelines.Containers.Deployment;

/// <summary>
/// Runs the published server as a local process in a session and process group of its own (so it outlives the build
/// that started it and is stopped with every child), output to a log file, known by its PID. A PID is trusted only
/// while <c>/proc/PID/cmdline</c> still names the server, so a recycled PID is never signalled.
/// </summary>
public sealed class ProcessRuntime : IServerRuntime
{
    const int SigTerm = 15, SigKill = 9;
    readonly string _logDirectory;

    public ProcessRuntime(string logDirectory) => _logDirectory = Path.GetFullPath(logDirectory);

    public string Name => "process";

    public Task<RunningServer> StartAsync(ServerRelease release, int port, int? portWhenReady, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) throw new DeploymentException("the process runtime needs Linux (it uses setsid and /proc); use --deploy-target docker");
        var host = release.HostExecutable is { } h ? Path.GetFullPath(h) : throw new DeploymentException($"{release} has no published server executable for the process runtime; run Package first");
        if (!File.Exists(host)) throw new DeploymentException($"{host} does not exist: publish the server (Package) first");
        var model = release.ModelDirectory is { } m ? Path.GetFullPath(m) : throw new DeploymentException($"{release} has no model folder for the process runtime");
        if (!Directory.Exists(model)) throw new DeploymentException($"{model} does not exist: the model folder of {release} is missing");
        Directory.CreateDirectory(_logDirectory);
        var log = Path.Combine(_logDirectory, $"{release.ModelName}-v{release.ModelVersion}-{port}.log");

        // sh execs setsid, which (not being a group leader) makes a new session and execs the server: one PID throughout.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(host)! };
        foreach (var argument in new[] { "-c", "exec setsid \"$0\" \"$@\" >>\"$MLOPS_SERVER_LOG\" 2>&1 </dev/null", host,
                     "--model-dir", model, "--urls", $"http://127.0.0.1:{port}" }.Concat(WhenReadyArguments(portWhenReady)))
            start.ArgumentList.Add(argument);
        start.Environment["MLOPS_SERVER_LOG"] = log;
        start.Environment["ORT_DISABLE_TELEMETRY"] = "1";
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start) ?? throw new DeploymentException($"could not start {host}");
        return Task.FromResult(new RunningServer(Name, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), port, release) { SharedPort = portWhenReady });
    }

    /// <summary>The server's arguments for a port it joins once ready (<c>--urls-when-ready</c>).</summary>
    internal static string[] WhenReadyArguments(int? portWhenReady) =>
        portWhenReady is { } shared ? ["--urls-when-ready", $"http://127.0.0.1:{shared}"] : [];

    public Task<bool> IsRunningAsync(RunningServer server, CancellationToken cancellationToken) => Task.FromResult(IsOurs(server));

    public async Task StopAsync(RunningServer server, CancellationToken cancellationToken)
    {
        if (!IsOurs(server)) return;
        var pid = int.Parse(server.Id, System.Globalization.CultureInfo.InvariantCulture);
        _ = Kill(-pid, SigTerm);
        var clock = Stopwatch.StartNew();
        while (IsOurs(server) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(25, cancellationToken);
        if (IsOurs(server))
        {
            _ = Kill(-pid, SigKill);
            while (IsOurs(server) && clock.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(25, cancellationToken);
        }
    }

    static bool IsOurs(RunningServer server)
    {
        if (!int.TryParse(server.Id, out var pid) || pid <= 1) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            if (state is "Z" or "X") return false;
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return server.Release.HostExecutable is { } host && commandLine.Length > 0 && commandLine[0] == Path.GetFullPath(host)
                && commandLine.Contains($"http://127.0.0.1:{server.Port}");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Signals the whole process group (a negative PID); DllImport keeps the project free of unsafe code.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
#pragma warning disable SYSLIB1054
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
