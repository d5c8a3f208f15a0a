// The container tests' stand-in server. model.json in --model-dir says which version it serves, the score it answers
// and whether it ever becomes ready; /identity shows what the tests check about the process (uid, environment, ORT).
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var modelDir = app.Configuration["model-dir"] ?? throw new InvalidOperationException("--model-dir is required");
using var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "model.json")));
var version = model.RootElement.GetProperty("version").GetInt32();
var score = model.RootElement.GetProperty("score").GetDouble();
var ready = model.RootElement.GetProperty("ready").GetBoolean();
var ortVersion = OrtEnv.Instance().GetVersionString();

app.MapGet("/v2/health/live", () => Results.Ok());
app.MapGet("/v2/health/ready", () => ready ? Results.Ok() : Results.StatusCode(503));
app.MapGet("/predict", () => Results.Json(new { version, score }));
app.MapGet("/identity", () => Results.Json(new
{
    uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1],
    ort_telemetry_disabled = Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY"),
    ort_version = ortVersion,
    model_dir = modelDir,
}));
app.Run();
