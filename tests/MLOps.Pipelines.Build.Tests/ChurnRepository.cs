using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// A temporary repository with the real CustomerChurn pipeline built once (Report, then Package: the champion's image
/// and the published model server) on the real telco data, with a small model; each test takes its own copy, so runs
/// never share state.
/// </summary>
public sealed class ChurnRepository : IAsyncLifetime
{
    /// <summary>The xUnit collection whose classes share one seeded repository (<see cref="ChurnRepositoryCollection"/>).</summary>
    public const string Collection = "churn repository";

    /// <summary>A small, single-threaded model: seconds per training on an idle machine.</summary>
    public static readonly string[] Churn = ["--trees", "20", "--leaves", "8", "--threads", "1"];

    /// <summary>The model server's project in this checkout (the temporary repository has no src/).</summary>
    public static readonly string ServerProject =
        Path.Combine(RepositoryRoot.Path, "src", "MLOps.Pipelines.Serving.Host", "MLOps.Pipelines.Serving.Host.csproj");

    /// <summary>The delivery parameters of a test: the process or docker target, a private environment and free ports.</summary>
    /// <param name="port">CustomerChurn's stable port: the catalog's second pipeline serves on --serve-port + 1.</param>
    public static string[] Delivery(string target, int port, string environment) =>
        ["--deploy-target", target, "--serve-port", (port - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--deploy-environment", environment, "--server-project", ServerProject];

    /// <summary>The CustomerChurn instance of a stage family: <c>Train</c> → <c>Train@CustomerChurn</c>.</summary>
    public static string Of(string family) => family + "@CustomerChurn";

    readonly TemporaryDirectory _root = BuildProgram.NewRepository("mlops-churn-seed-", "telco-churn.csv");

    public string Root => _root.Path;

    public async Task InitializeAsync()
    {
        var (exit, output) = await BuildProgram.RunAsync(Root, [Of("Report"), Of("Package"), "--server-project", ServerProject, .. Churn]);
        exit.ShouldBe(0, output);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A fresh copy of the built repository (outputs, lock, store and registry included); with
    /// <paramref name="delivery"/> also the pipeline's server and images under artifacts/delivery (~100 MB).
    /// </summary>
    public TemporaryDirectory Copy(bool delivery = false)
    {
        var copy = new TemporaryDirectory("mlops-churn-");
        // The shared server publish is not copied: the pipeline's own server folder (hard links to it, copied as files)
        // and its key file are, and Package reuses them, so the ~100 MB publish need not be copied a second time.
        DirectoryTree.Copy(Root, copy.Path, relative =>
            !relative.StartsWith(Path.Combine(".nuke", "temp", "locks"), StringComparison.Ordinal)
            && (delivery || !relative.StartsWith(Path.Combine("artifacts", "delivery"), StringComparison.Ordinal))
            && !relative.StartsWith(Path.Combine("artifacts", "delivery", ".shared", "server"), StringComparison.Ordinal));
        return copy;
    }

    public static string ModelFile(string root) => Path.Combine(root, "artifacts", "customer-churn", "model", "model.zip");
    public static string Receipt(string root) => Path.Combine(root, "artifacts", "customer-churn", "registration.json");
    public static string Registry(string root) => Path.Combine(root, "models", "customer-churn", "registry.json");
    /// <summary>CustomerChurn's delivery work folder: published server, images, deployment state.</summary>
    public static string Delivery(string root) => Path.Combine(root, "artifacts", "delivery", "CustomerChurn");

    /// <summary>The PIDs of model servers running from <paramref name="root"/>'s published server (process target).</summary>
    public static IReadOnlyList<int> ServerProcesses(string root)
    {
        var host = Path.Combine(Delivery(root), "server", "mlops-serve");
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var argv = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (argv[0] == host) pids.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return pids;
    }

    /// <summary>POSTs a real record (the first complete golden record Export wrote) to the stable URL; the version that answered.</summary>
    public static async Task<string> ServedVersionAsync(string root, int port)
    {
        var golden = GoldenRecords.Read(Path.Combine(root, "artifacts", "customer-churn", "export", GoldenRecords.FileName));
        var record = golden.Records.First(r => r.All(kv => kv.Value is not null)).DeepClone();
        using var response = await Http.PostAsJsonAsync(new Uri($"http://127.0.0.1:{port}/predict/customer-churn"), new JsonArray(record));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        var prediction = answer.RootElement.GetProperty("predictions")[0];
        prediction.GetProperty("probability").GetDouble().ShouldBeInRange(0, 1);
        return prediction.GetProperty("model_version").GetString()!;
    }

    /// <summary>A free loopback port for CustomerChurn's server (its --serve-port, one below, must be a port too).</summary>
    public static int FreeServePort()
    {
        while (true)
        {
            var port = MLOps.Pipelines.Containers.Deployment.LoopbackPorts.Free();
            if (port > 1) return port;
        }
    }

    /// <summary>Stops every server the deployment state of <paramref name="environment"/> records (live or left started), by PID or container ID.</summary>
    public static async Task StopServersAsync(string root, string environment)
    {
        var store = new MLOps.Pipelines.Containers.Deployment.DeploymentStore(Path.Combine(root, "models", "customer-churn"), Path.Combine(Delivery(root), "state"));
        var servers = store.Started(environment).ToList();
        if (store.Live(environment) is { } live) servers.Add(live);
        foreach (var server in servers)
        {
            if (server.Runtime == MLOps.Pipelines.Containers.Deployment.ServerRuntimes.Docker)
            {
                using var docker = new MLOps.Pipelines.Containers.Deployment.DockerRuntime();
                await docker.StopAsync(server, CancellationToken.None);
            }
            else
            {
                await new MLOps.Pipelines.Containers.Deployment.ProcessRuntime(store.LogDirectory(environment)).StopAsync(server, CancellationToken.None);
            }
        }
    }

    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static string Sha256(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));

    /// <summary>(version, model sha256) of every version registry.json holds.</summary>
    public static IReadOnlySet<(int Version, string Sha256)> RegisteredVersions(string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Registry(root)));
        return document.RootElement.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("modelSha256").GetString()!)).ToHashSet();
    }

    /// <summary>(version, model sha256) the receipt names.</summary>
    public static (int Version, string Sha256) ReceiptVersion(string root)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Receipt(root)));
        return (document.RootElement.GetProperty("version").GetInt32(), document.RootElement.GetProperty("model_sha256").GetString()!);
    }
}
