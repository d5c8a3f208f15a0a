// Measures the container path end to end on this machine and prints one Markdown table:
//   publish (untrimmed and TrimMode=partial), image size, cold build vs rebuild after a model change (layer cache),
//   first push vs re-push after a model change, time to ready and blue/green switch downtime (process and docker),
//   probed on the stable URL with a new connection per request.
// Usage: ContainersBenchmark --server-project P.csproj --host NAME [--model-dir DIR] [--registry 127.0.0.1:5000] [--trim]
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using MLOps.Pipelines.Containers.BaseImages;
using MLOps.Pipelines.Containers.Deployment;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Packaging;
using MLOps.Pipelines.Containers.Publishing;
using MLOps.Pipelines.Containers.Registry;

var options = Options(args);
var project = options.GetValueOrDefault("server-project") ?? throw new ArgumentException("--server-project is required");
var host = options.GetValueOrDefault("host") ?? Path.GetFileNameWithoutExtension(project);
var registry = options.GetValueOrDefault("registry") ?? Environment.GetEnvironmentVariable("MLOPS_TEST_REGISTRY");
var work = Directory.CreateTempSubdirectory("mlops-containers-bench-").FullName;
var rows = new List<(string What, string Figure)>();
try
{
    var clock = Stopwatch.StartNew();
    var published = await ServerPublisher.PublishAsync(project, Path.Combine(work, "published"), partialTrimming: options.ContainsKey("trim"));
    rows.Add(($"publish self-contained linux-x64{(options.ContainsKey("trim") ? ", TrimMode=partial" : ", untrimmed")}",
        $"{clock.Elapsed.TotalSeconds:0.0} s, {MB(published.Bytes)} on disk, removed {published.Removed.Count} files ({string.Join(", ", published.Removed)})"));

    clock.Restart();
    var baseImage = HostGlibcBase.Create([published.Directory], Path.Combine(work, "base"));
    rows.Add(("host glibc base", $"{MB(baseImage.CompressedSize)} compressed, {MB(Uncompressed(baseImage))} uncompressed, {clock.Elapsed.TotalSeconds:0.00} s"));

    var model1 = ModelFolder(options.GetValueOrDefault("model-dir"), 1, 0.25, work);
    var model2 = ModelFolder(options.GetValueOrDefault("model-dir"), 2, 0.5, work);
    var cache = new LayerCache(Path.Combine(work, "layer-cache"));
    clock.Restart();
    var v1 = Build("v1", model1, 1);
    var cold = clock.Elapsed;
    clock.Restart();
    var v2 = Build("v2", model2, 2);
    var warm = clock.Elapsed;
    rows.Add(("image (base + server + model), v1", $"{MB(v1.CompressedSize)} compressed, {MB(Uncompressed(v1))} uncompressed; layers {string.Join(" + ", v1.Layers.Select(l => MB(l.Blob.Size)))}"));
    rows.Add(("Package: cold build vs rebuild after a model change (layer cache)", $"{cold.TotalSeconds:0.0} s vs {warm.TotalSeconds:0.00} s = {warm / cold:0.000}×"));
    rows.Add(("reproducible", $"v1 built twice gives {(Build("v1-again", model1, 1).Digest == v1.Digest ? "one digest" : "DIFFERENT digests")}"));

    if (registry is not null)
    {
        using var client = new OciRegistryClient();
        var repository = ImageReference.Of(registry, $"bench/test-model-{Guid.NewGuid():N}"[..30]);
        var first = await client.PushAsync(v1.LayoutDirectory, repository, ["v1"]);
        var second = await client.PushAsync(v2.LayoutDirectory, repository, ["v2"]);
        rows.Add(("push v1 (empty registry)", $"{first.BlobsUploaded} blobs, {MB(first.BytesUploaded)}, {first.Elapsed.TotalSeconds:0.00} s"));
        rows.Add(("re-push after a model change (v2)", $"{second.BlobsUploaded} blobs ({second.BlobsSkipped} skipped), {MB(second.BytesUploaded)}, {second.Elapsed.TotalSeconds:0.00} s = {(double)second.BytesUploaded / first.BytesUploaded:0.0000}× the bytes, {second.Elapsed / first.Elapsed:0.000}× the time"));
    }

    await Switch(new ProcessRuntime(Path.Combine(work, "logs")), v => new ServerRelease("test-model", v)
    {
        HostExecutable = Path.Combine(published.Directory, host),
        ModelDirectory = v == 1 ? model1 : model2,
    });
    if (await DockerRuntime.EngineAnswersAsync(TimeSpan.FromSeconds(2)))
    {
        using var docker = new DockerRuntime();
        await Switch(docker, v => new ServerRelease("test-model", v)
        {
            ImageDigest = (v == 1 ? v1 : v2).Digest, ImageId = (v == 1 ? v1 : v2).ConfigDigest, DockerArchive = (v == 1 ? v1 : v2).DockerArchive,
        });
    }

    Console.WriteLine($"| {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} | figure |");
    Console.WriteLine("|---|---|");
    foreach (var (what, figure) in rows) Console.WriteLine($"| {what} | {figure} |");
    return 0;

    BuiltImage Build(string name, string model, int version)
    {
        using var source = OciLayout.Read(Path.Combine(work, "base"));
        return ServerImage.Build(source, new ServerImageRequest(published.Directory, host, model, "test-model", version,
            Path.Combine(work, name, "layout"), Path.Combine(work, name, "image.tar")), cache);
    }

    async Task Switch(IServerRuntime runtime, Func<int, ServerRelease> release)
    {
        var stable = LoopbackPorts.Free();
        var store = new DeploymentStore(Path.Combine(work, runtime.Name, "models", "test-model"), Path.Combine(work, runtime.Name, "state"));
        var deployer = new BlueGreenDeployer(runtime, store, new BlueGreenOptions { StablePort = stable });
        var url = new Uri($"http://127.0.0.1:{stable}/v2/health/ready");
        try
        {
            var clock = Stopwatch.StartNew();
            var first = await deployer.DeployAsync(release(1), "bench", (_, _) => Task.CompletedTask);
            var deployTime = clock.Elapsed;
            using var probe = new CancellationTokenSource();
            var failures = 0; var probes = 0; var longest = TimeSpan.Zero; var since = (TimeSpan?)null;
            // A new connection per probe: a gap in the stable port's listeners shows as a refused probe.
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(1) };
            var prober = Task.Run(async () =>
            {
                var watch = Stopwatch.StartNew();
                while (!probe.IsCancellationRequested)
                {
                    probes++;
                    bool ok;
                    try { ok = (await http.GetAsync(url)).IsSuccessStatusCode; } catch (Exception) { ok = false; }
                    if (!ok) { failures++; since ??= watch.Elapsed; }
                    else if (since is { } start) { longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, (watch.Elapsed - start).Ticks)); since = null; }
                    await Task.Delay(5);
                }
            });
            var second = await deployer.DeployAsync(release(2), "bench", (_, _) => Task.CompletedTask);
            await Task.Delay(200);
            await probe.CancelAsync();
            await prober;
            rows.Add(($"{runtime.Name}: first deploy (candidate ready + switch)", $"{deployTime.TotalSeconds:0.00} s; candidate ready in {first.Record.ReadySeconds:0.00} s"));
            rows.Add(($"{runtime.Name}: switch downtime v1 → v2 (v2 joins the shared stable port once ready, then v1 drains and stops)",
                $"{second.Record.SwitchDowntimeSeconds:0.00} s recorded; probes every 5 ms, each on a new connection: {failures} of {probes} failed, longest gap {longest.TotalSeconds:0.00} s; the candidate's time to ready {second.Record.ReadySeconds:0.00} s"));
        }
        finally
        {
            if (store.Live("bench") is { } live) await runtime.StopAsync(live, default);
        }
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string ModelFolder(string? source, int version, double score, string work)
{
    var dir = Directory.CreateDirectory(Path.Combine(work, $"model-v{version}")).FullName;
    if (source is not null)
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
    File.WriteAllText(Path.Combine(dir, "model.json"), JsonSerializer.Serialize(new { version, score, ready = true }));
    return dir;
}

static long Uncompressed(BuiltImage image)
{
    var blobs = new BlobDirectory(image.LayoutDirectory);
    long total = 0;
    foreach (var layer in image.Layers)
    {
        using var gzip = new GZipStream(blobs.Open(layer.Blob.Digest), CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = gzip.Read(buffer)) > 0) total += read;
    }
    return total;
}

static string MB(long bytes) => bytes >= 1_000_000 ? $"{bytes / 1e6:0.0} MB" : $"{bytes / 1e3:0.0} kB";

static Dictionary<string, string> Options(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected '{args[i]}'");
        var key = args[i][2..];
        result[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
    }
    return result;
}
