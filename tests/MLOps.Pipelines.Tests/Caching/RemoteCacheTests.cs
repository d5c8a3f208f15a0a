using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Tests.Caching;

public sealed class RemoteCacheTests : IDisposable
{
    readonly NginxWebDavServer _server = new();

    static TargetSpec Prepare() => CacheTestRoot.Spec("Prepare", ["data/raw.csv"], ["out/prepared.csv"]);
    static TargetSpec Train() => CacheTestRoot.Spec("Train", ["out/prepared.csv"], ["models"]);

    void Populate(CacheTestRoot checkout)
    {
        checkout.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = checkout.Cache(new CacheOptions { RemoteUrl = _server.Url, RemotePush = true });
        CacheTestRoot.Execute(cache, Prepare(), () => checkout.Write("out/prepared.csv", "prepared rows"));
        CacheTestRoot.Execute(cache, Train(), () =>
        {
            checkout.Write("models/model.zip", "the model");
            checkout.Write("models/card/metrics.json", "{\"auc\":0.9}");
        }, new Dictionary<string, double> { ["auc"] = 0.9 });
    }

    [Fact]
    public void A_clean_checkout_restores_every_target_from_the_remote_without_running_any()
    {
        using var first = new CacheTestRoot();
        Populate(first);
        Directory.GetFiles(Path.Combine(_server.StoreDirectory, "cache", "cas")).Length.ShouldBe(3); // prepared, model, metrics
        Directory.GetFiles(Path.Combine(_server.StoreDirectory, "cache", "ac")).Length.ShouldBe(2);

        using var second = new CacheTestRoot();
        second.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = second.Cache(new CacheOptions { RemoteUrl = _server.Url });
        foreach (var spec in new[] { Prepare(), Train() })
        {
            var decision = CacheTestRoot.Execute(cache, spec, () => throw new InvalidOperationException($"{spec.Name} must not run"));
            decision.Kind.ShouldBe(CacheDecisionKind.RestoreRemote);
            decision.Reasons.ShouldBe(["never run"]);
        }
        second.Read("models/model.zip").ShouldBe("the model");
        second.Read("models/card/metrics.json").ShouldBe("{\"auc\":0.9}");
        File.ReadAllText(cache.LockFile.Path).ShouldBe(File.ReadAllText(Path.Combine(first.Root, LockFile.FileName)));
        cache.Evaluate(Train()).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        second.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void A_tampered_remote_blob_is_rejected_and_never_restored()
    {
        using var first = new CacheTestRoot();
        Populate(first);
        var sha = ContentHash.Sha256("prepared rows"u8);
        File.WriteAllText(Path.Combine(_server.StoreDirectory, "cache", "cas", sha), "prepared rowz");

        using var second = new CacheTestRoot();
        second.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = second.Cache(new CacheOptions { RemoteUrl = _server.Url });
        var decision = cache.Evaluate(Prepare());
        decision.Kind.ShouldBe(CacheDecisionKind.RestoreRemote);
        var result = cache.TryRestore(decision);

        result.Restored.ShouldBeFalse();
        second.Warnings.ShouldContain(w => w.Contains(sha) && w.Contains("rejected"));
        File.Exists(second.PathOf("out/prepared.csv")).ShouldBeFalse();
        cache.Store.HasBlob(sha).ShouldBeFalse();
        Directory.GetFiles(second.PathOf(".nuke/cache"), "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        cache.LockFile.Read().ShouldNotContainKey("Prepare");
    }

    [Fact]
    public void Pull_only_by_default_a_run_does_not_write_to_the_remote()
    {
        using var checkout = new CacheTestRoot();
        checkout.Write("data/raw.csv", "x");
        using var cache = checkout.Cache(new CacheOptions { RemoteUrl = _server.Url });
        CacheTestRoot.Execute(cache, Prepare(), () => checkout.Write("out/prepared.csv", "p"));
        Directory.Exists(Path.Combine(_server.StoreDirectory, "cache")).ShouldBeFalse();
    }

    [Fact]
    public void An_unreachable_remote_is_one_warning_and_the_target_runs()
    {
        using var checkout = new CacheTestRoot();
        checkout.Write("data/raw.csv", "x");
        var nobody = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}/cache/");
        using var cache = checkout.Cache(new CacheOptions { RemoteUrl = nobody, RemotePush = true });

        CacheTestRoot.Execute(cache, Prepare(), () => checkout.Write("out/prepared.csv", "p")).Kind.ShouldBe(CacheDecisionKind.Run);
        CacheTestRoot.Execute(cache, Train(), () => checkout.Write("models/m", "m")).Kind.ShouldBe(CacheDecisionKind.Run);

        checkout.Warnings.ShouldHaveSingleItem().ShouldContain("unreachable");
        cache.Evaluate(Train()).Kind.ShouldBe(CacheDecisionKind.UpToDate);
    }

    [Fact]
    public async Task A_token_is_sent_as_a_bearer_authorization_header()
    {
        // A loopback HTTP server that records the header (nginx would need a module to check it).
        var port = LoopbackPort.Free();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var header = context.Request.Headers["Authorization"];
            context.Response.StatusCode = 404;
            context.Response.Close();
            return header;
        });
        using var remote = new RemoteCache(new Uri($"http://127.0.0.1:{port}/cache/"), push: false, warn: _ => { }, bearerToken: "s3cret");
        remote.TryGetAction("0123456789abcdef").ShouldBeNull();
        (await served).ShouldBe("Bearer s3cret");
    }

    public void Dispose() => _server.Dispose();
}
