using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>The remote cache against nginx: bounded downloads, records kept only once restored, nothing corrupt pushed.</summary>
public sealed class RemoteCacheFaultTests : IDisposable
{
    readonly NginxWebDavServer _server = new();

    static TargetSpec Prepare() => CacheTestRoot.Spec("Prepare", ["data/raw.csv"], ["out/prepared.csv"]);

    string Push(string content = "prepared rows")
    {
        using var first = new CacheTestRoot();
        first.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = first.Cache(new CacheOptions { RemoteUrl = _server.Url, RemotePush = true });
        CacheTestRoot.Execute(cache, Prepare(), () => first.Write("out/prepared.csv", content));
        return cache.LockFile.Read()["Prepare"].Fingerprint;
    }

    string RecordPath(string fingerprint) => Path.Combine(_server.StoreDirectory, "cache", "ac", fingerprint);

    [Fact]
    public void A_remote_record_joins_the_local_store_only_after_its_restore_succeeded()
    {
        var fingerprint = Push();
        // A record whose blob downloads and verifies (SHA-256) but whose XXH3 is wrong: the restore itself fails.
        var record = JsonNode.Parse(File.ReadAllText(RecordPath(fingerprint)))!;
        record["files"]![0]!["xxh3"] = new string('0', 32);
        File.WriteAllText(RecordPath(fingerprint), record.ToJsonString());

        using var second = new CacheTestRoot();
        second.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = second.Cache(new CacheOptions { RemoteUrl = _server.Url });
        var decision = cache.Evaluate(Prepare());
        decision.Kind.ShouldBe(CacheDecisionKind.RestoreRemote);
        cache.TryRestore(decision).Restored.ShouldBeFalse();
        File.Exists(second.PathOf($".nuke/cache/ac/{fingerprint}.json")).ShouldBeFalse();

        // With the server's record repaired, a restore succeeds and only then is the record kept locally.
        Push();
        File.Delete(RecordPath(fingerprint));
        Push();
        var again = cache.Evaluate(Prepare());
        again.Kind.ShouldBe(CacheDecisionKind.RestoreRemote);
        cache.TryRestore(again).Restored.ShouldBeTrue();
        File.Exists(second.PathOf($".nuke/cache/ac/{fingerprint}.json")).ShouldBeTrue();
    }

    [Fact]
    public void A_declared_size_of_ten_to_the_fifteen_is_a_miss_with_a_warning_not_a_crash()
    {
        var fingerprint = Push();
        var sha = ContentHash.Sha256("prepared rows"u8);
        var warnings = new List<string>();
        using (var remote = new RemoteCache(_server.Url, push: false, warnings.Add))
        {
            using var destination = new TemporaryDirectory("mlops-download-");
            remote.TryDownloadBlob(sha, 1_000_000_000_000_000, destination["blob"]).ShouldBeFalse();
            warnings.ShouldHaveSingleItem().ShouldContain("ceiling");
        }

        var record = JsonNode.Parse(File.ReadAllText(RecordPath(fingerprint)))!;
        record["files"]![0]!["size"] = 1_000_000_000_000_000L;
        File.WriteAllText(RecordPath(fingerprint), record.ToJsonString());
        using var second = new CacheTestRoot();
        second.Write("data/raw.csv", "x,y\n1,2\n");
        using var cache = second.Cache(new CacheOptions { RemoteUrl = _server.Url });
        CacheTestRoot.Execute(cache, Prepare(), () => second.Write("out/prepared.csv", "prepared rows")).Kind.ShouldBe(CacheDecisionKind.Run);
        second.Warnings.ShouldHaveSingleItem().ShouldContain("treated as a miss");
    }

    [Fact]
    public void A_download_stops_at_the_declared_size()
    {
        Push();
        var sha = ContentHash.Sha256("prepared rows"u8);
        var blob = Path.Combine(_server.StoreDirectory, "cache", "cas", sha);
        File.WriteAllBytes(blob, new byte[8 << 20]); // 8 MiB where the record says 13 bytes
        var warnings = new List<string>();
        using var folder = new TemporaryDirectory("mlops-download-");
        var destination = folder["blob"];
        using var remote = new RemoteCache(_server.Url, push: false, warnings.Add);
        remote.TryDownloadBlob(sha, 13, destination).ShouldBeFalse();
        File.Exists(destination).ShouldBeFalse();
        warnings.ShouldHaveSingleItem().ShouldContain("where its record declares 13");
    }

    [Fact]
    public void A_corrupt_local_blob_is_never_pushed_it_is_evicted_and_stored_again()
    {
        using var checkout = new CacheTestRoot();
        checkout.Write("data/raw.csv", "x,y\n1,2\n");
        using (var local = checkout.Cache())
            CacheTestRoot.Execute(local, Prepare(), () => checkout.Write("out/prepared.csv", "prepared rows"));
        var sha = ContentHash.Sha256("prepared rows"u8);
        var blob = checkout.PathOf($".nuke/cache/cas/{sha[..2]}/{sha}");
        File.WriteAllText(blob, "prepared rowz"); // same size: the store's cheap size check cannot tell

        using var cache = checkout.Cache(new CacheOptions { RemoteUrl = _server.Url, RemotePush = true });
        using (var run = cache.BeginRun(cache.Evaluate(Prepare(), force: true)))
        {
            checkout.Write("out/prepared.csv", "prepared rows");
            run.Commit();
        }
        File.ReadAllText(Path.Combine(_server.StoreDirectory, "cache", "cas", sha)).ShouldBe("prepared rows");
        File.ReadAllText(blob).ShouldBe("prepared rows");
        checkout.Warnings.ShouldHaveSingleItem().ShouldContain("evicted");
    }

    public void Dispose() => _server.Dispose();
}
