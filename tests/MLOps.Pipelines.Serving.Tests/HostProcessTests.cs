using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>The published shape of the server: <c>mlops-serve</c> as its own process, stopped by SIGTERM.</summary>
public sealed partial class HostProcessTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public async Task Sigterm_drains_a_request_in_flight_then_the_host_exits_0()
    {
        using var host = Start("--model-dir", model.ModelDirectory, "--urls", "http://127.0.0.1:0");
        var address = new Uri(ListeningRegex().Match(await host.WaitForLineAsync("listening on")).Groups[1].Value);
        (await host.WaitForLineAsync("ready:")).ShouldContain("customer-churn version 7");

        // A request whose body is only half sent when SIGTERM arrives must still be answered.
        var body = Encoding.UTF8.GetBytes(Records.Complete(model.ModelDirectory).ToJsonString());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /predict HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
        await Task.Delay(200);
        Signal(host.Process.Id, "TERM");
        await Task.Delay(500);
        host.Process.HasExited.ShouldBeFalse("the host quit with a request in flight");
        await stream.WriteAsync(body.AsMemory(body.Length / 2));
        var response = await ReadResponseAsync(stream);

        response.ShouldStartWith("HTTP/1.1 200");
        response.ShouldContain("\"model_version\":\"7\"");
        (await host.WaitForExitAsync()).ShouldBe(0, host.Output);
        host.Output.ShouldContain("stopped after draining in-flight requests");
    }

    [Fact]
    public async Task Urls_when_ready_are_listened_on_once_ready_beside_another_server_sharing_the_port_and_refused_where_it_is_not_shared()
    {
        var stable = LoopbackPort.Free();
        using var first = Start("--model-dir", model.ModelDirectory, "--urls", "http://127.0.0.1:0", "--urls-when-ready", $"http://127.0.0.1:{stable}");
        (await first.WaitForLineAsync("(ready; port shared)")).ShouldContain($"listening on http://127.0.0.1:{stable}");
        using var second = Start("--model-dir", model.ModelDirectory, "--urls", "http://127.0.0.1:0", "--urls-when-ready", $"http://127.0.0.1:{stable}");
        var own = new Uri(ListeningRegex().Match(await second.WaitForLineAsync("listening on")).Groups[1].Value);
        await second.WaitForLineAsync("(ready; port shared)");
        using (var http = new HttpClient())
        {
            (await http.GetStringAsync(new Uri(own, "/v2/health/ready"))).ShouldContain("\"ready\":true");
            // The first stops: the stable port is the second's alone and keeps answering.
            Signal(first.Process.Id, "TERM");
            (await first.WaitForExitAsync()).ShouldBe(0, first.Output);
            (await http.GetStringAsync($"http://127.0.0.1:{stable}/v2/health/ready")).ShouldContain("\"ready\":true");
        }
        Signal(second.Process.Id, "TERM");
        (await second.WaitForExitAsync()).ShouldBe(0, second.Output);

        // A port held by a program that does not share it: never ready, so exit 2 at once, naming the URL.
        using var holder = new TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var held = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        using var refused = Start("--model-dir", model.ModelDirectory, "--urls", "http://127.0.0.1:0", "--urls-when-ready", $"http://127.0.0.1:{held}");
        (await refused.WaitForExitAsync()).ShouldBe(2, refused.Output);
        refused.Output.ShouldContain($"could not listen on http://127.0.0.1:{held}/ once ready");
        refused.Output.ShouldContain("does not share the port");
    }

    [Theory]
    [InlineData(null, "whole graph in managed code")]
    [InlineData("--trees-in-onnxruntime", "nodes in ONNX Runtime")]
    [InlineData("--whole-graph-in-onnxruntime", "whole graph in ONNX Runtime (asked for)")]
    public async Task The_ready_line_names_the_scoring_path_the_options_choose(string? option, string expected)
    {
        using var host = Start([.. (string[])["--model-dir", model.ModelDirectory, "--urls", "http://127.0.0.1:0"], .. option is null ? [] : new[] { option }]);

        (await host.WaitForLineAsync("ready:")).ShouldContain(expected);
        Signal(host.Process.Id, "TERM");
        (await host.WaitForExitAsync()).ShouldBe(0, host.Output);
    }

    [Theory]
    [InlineData("no-args", "no --model-dir given")]
    [InlineData("missing-dir", "no such directory")]
    [InlineData("unknown-pipeline", "is not in this server's catalog")]
    [InlineData("bad-flag", "unknown argument '--port'")]
    [InlineData("bad-url-when-ready", "--urls-when-ready 127.0.0.1:8080 must be an http URL with a port")]
    public async Task Bad_arguments_or_model_directories_exit_2_with_one_line_naming_the_fix(string kind, string expected)
    {
        string[] args = kind switch
        {
            "no-args" => [],
            "missing-dir" => ["--model-dir", Path.Combine(model.Root, "nowhere")],
            "unknown-pipeline" => ["--model-dir", UnknownPipelineDirectory()],
            "bad-url-when-ready" => ["--model-dir", model.ModelDirectory, "--urls-when-ready", "127.0.0.1:8080"],
            _ => ["--model-dir", model.ModelDirectory, "--port", "80"],
        };
        using var host = Start(args);

        (await host.WaitForExitAsync()).ShouldBe(2);
        host.Output.ShouldContain(expected);
    }

    private string UnknownPipelineDirectory()
    {
        var directory = model.CopyModelDirectory("customer-churn");
        (ServingManifest.Read(directory) with { Pipeline = "HousePrices" }).Write(directory);
        return directory;
    }

    private static HostProcess Start(params string[] args)
    {
        File.Exists(RepositoryFiles.HostDll).ShouldBeTrue($"{RepositoryFiles.HostDll} is not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.HostDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["ORT_DISABLE_TELEMETRY"] = "1";
        return new HostProcess(Process.Start(start)!);
    }

    private static void Signal(int pid, string signal) => Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.ToString().Contains("}]}", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningRegex();

    /// <summary>A started host with its output collected line by line; killed on dispose if still running.</summary>
    private sealed class HostProcess : IDisposable
    {
        private readonly StringBuilder output = new();
        private readonly List<(string Text, TaskCompletionSource<string> Seen)> waits = [];

        public HostProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Received(e.Data);
            process.ErrorDataReceived += (_, e) => Received(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output { get { lock (output) return output.ToString(); } }

        public Task<string> WaitForLineAsync(string text)
        {
            lock (output)
            {
                var line = output.ToString().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
                if (line is not null) return Task.FromResult(line);
                var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                waits.Add((text, seen));
                return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }
        }

        public async Task<int> WaitForExitAsync()
        {
            await Process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Process.WaitForExit(); // flushes the redirected output
            return Process.ExitCode;
        }

        private void Received(string? line)
        {
            if (line is null) return;
            lock (output)
            {
                output.AppendLine(line);
                foreach (var wait in waits.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
                {
                    wait.Seen.TrySetResult(line);
                    waits.Remove(wait);
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill();
            Process.Dispose();
        }
    }
}
