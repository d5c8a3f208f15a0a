// The container tests' stand-in server. model.json in --model-dir says which version it serves, the score it answers
// and whether it ever becomes ready; /identity shows what the tests check about the process (uid, environment, ORT).
// Like the real server, --urls-when-ready is listened on (port shared, SO_REUSEPORT) only once it is ready.
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.ML.OnnxRuntime;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var whenReady = builder.Configuration["urls-when-ready"];
var late = new MemoryEndpoints();
if (whenReady is not null)
{
    builder.WebHost.ConfigureKestrel(k => k.Configure(new ConfigurationBuilder().Add(late).Build(), reloadOnChange: true));
    builder.WebHost.UseSockets(s => s.CreateBoundListenSocket = endpoint =>
    {
        var ip = (IPEndPoint)endpoint;
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT
        socket.Bind(ip);
        return socket;
    });
}
var app = builder.Build();

var modelDir = app.Configuration["model-dir"] ?? throw new InvalidOperationException("--model-dir is required");
using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "model.json")));
var version = model.RootElement.GetProperty("version").GetInt32();
var score = model.RootElement.GetProperty("score").GetDouble();
var ready = model.RootElement.GetProperty("ready").GetBoolean();
var ortVersion = OrtEnv.Instance().GetVersionString();
var joined = whenReady is null;

app.MapGet("/v2/health/live", () => Results.Ok());
app.MapGet("/v2/health/ready", () => ready && joined ? Results.Ok() : Results.StatusCode(503));
app.MapGet("/predict", () => Results.Json(new { version, score }));
app.MapGet("/identity", () => Results.Json(new
{
    uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
    ort_telemetry_disabled = Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY"),
    ort_version = ortVersion,
    model_dir = modelDir,
}));
await app.StartAsync();
if (whenReady is not null && ready)
{
    late.Open(whenReady);
    var port = new Uri(whenReady).Port;
    while (!app.Urls.Any(u => new Uri(u).Port == port)) await Task.Delay(20);
    joined = true;
}
await app.WaitForShutdownAsync();

sealed class MemoryEndpoints : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Open(string url)
    {
        Data["Endpoints:WhenReady:Url"] = url;
        OnReload();
    }
}
