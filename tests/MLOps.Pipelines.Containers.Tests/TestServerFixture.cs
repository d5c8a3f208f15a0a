using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MLOps.Pipelines.Containers.BaseImages;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Oci;
using MLOps.Pipelines.Containers.Publishing;

namespace MLOps.Pipelines.Containers.Tests;

/// <summary>
/// Publishes the stand-in server (assets/TestServer) self-contained for linux-x64 once per source content (kept in the
/// temporary folder, so a re-run does not publish again), and makes the host glibc base for it.
/// </summary>
public sealed class TestServerFixture : IAsyncLifetime
{
    public const string HostName = "TestServer";

    public string Published { get; private set; } = "";
    public string BaseLayout { get; private set; } = "";
    public BuiltImage BaseImage { get; private set; } = null!;
    public ServerPublisher.Result? Publish { get; private set; }
    readonly TemporaryDirectory _work = new("mlops-containers-tests-");

    public string Work => _work.Path;
    public LayerCache Layers => new(Path.Combine(Work, "layer-cache"));

    public async Task InitializeAsync()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "assets", "TestServer");
        var key = SourceKey(source);
        var cache = TemporaryDirectory.Reused($"mlops-containers-testserver-{key}");
        Published = cache / "published";
        if (!File.Exists(cache / "done"))
        {
            var copy = cache / "src";
            Directory.Delete(cache, recursive: true); // what an interrupted publish left
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            Publish = await ServerPublisher.PublishAsync(Path.Combine(copy, "TestServer.csproj"), Published);
            await File.WriteAllTextAsync(Path.Combine(cache, "removed.json"), JsonSerializer.Serialize(Publish.Removed));
            await File.WriteAllTextAsync(Path.Combine(cache, "done"), "");
        }
        else
        {
            var removed = JsonSerializer.Deserialize<List<string>>(await File.ReadAllTextAsync(Path.Combine(cache, "removed.json")))!;
            Publish = new ServerPublisher.Result(Published, 0, removed);
        }
        BaseLayout = Path.Combine(Work, "base");
        BaseImage = HostGlibcBase.Create([Published], BaseLayout);
    }

    public Task DisposeAsync()
    {
        _work.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A model folder the stand-in server reads: the version it reports, the score it answers, whether it gets ready.</summary>
    public string ModelFolder(int version, double score, bool ready = true)
    {
        var dir = Path.Combine(Work, "models", $"v{version}-{score}-{ready}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "model.json"), JsonSerializer.Serialize(new { version, score, ready }));
        return dir;
    }

    static string SourceKey(string source)
    {
        using var sha = SHA256.Create();
        foreach (var file in Directory.EnumerateFiles(source).Order(StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(Path.GetFileName(file)).Concat(File.ReadAllBytes(file)).ToArray();
            sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
        }
        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexStringLower(sha.Hash!)[..16];
    }
}

[CollectionDefinition(Name)]
public sealed class ContainersCollection : ICollectionFixture<TestServerFixture>
{
    public const string Name = "containers";
}
