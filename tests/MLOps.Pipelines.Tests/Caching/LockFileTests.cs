using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class LockFileTests
{
    static LockEntry Entry(string fingerprint, double auc = 0.91) => new(
        fingerprint, "c0de", "2",
        new Dictionary<string, string> { ["Trees"] = "200", ["Learning\"Rate"] = "0.1" },
        new Dictionary<string, string> { ["dotnet"] = "10.0.0" },
        [new ManifestEntry("data/raw.csv", 1234, "0123456789abcdef0123456789abcdef"), new ManifestEntry("data/images", 99, "fedcba9876543210fedcba9876543210", 3)],
        [new ManifestEntry("models/model.zip", 5678, "00000000000000000000000000000001")],
        new Dictionary<string, double> { ["auc"] = auc, ["rmse"] = 1e-5 });

    [Fact]
    public void The_layout_is_sorted_lf_terminated_and_readable()
    {
        var text = LockFile.Serialize(new Dictionary<string, LockEntry> { ["Train"] = Entry("fp-train"), ["Prepare"] = Entry("fp-prep") with { Version = null, Metrics = new Dictionary<string, double>() } });

        text.ShouldNotContain("\r");
        text.ShouldEndWith("}\n");
        text.IndexOf("\"Prepare\"", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"Train\"", StringComparison.Ordinal));
        text.ShouldContain("""        { "path": "data/images", "files": 3, "size": 99, "hash": "fedcba9876543210fedcba9876543210" },""");
        text.ShouldContain("""        "Learning\"Rate": "0.1",""");
        text.ShouldContain("""        "rmse": 1E-05""");
        text.ShouldContain("\"metrics\": {}");
    }

    [Fact]
    public void Reading_and_writing_again_gives_the_same_bytes()
    {
        using var root = new CacheTestRoot();
        var lockFile = new LockFile(root.Root);
        lockFile.Update("Train", Entry("a"));
        lockFile.Update("Evaluate", Entry("b", 0.5));
        var first = File.ReadAllBytes(lockFile.Path);

        var read = lockFile.Read();
        read["Train"].Metrics["auc"].ShouldBe(0.91);
        read["Train"].Inputs[0].FileCount.ShouldBe(3); // sorted: data/images before data/raw.csv
        File.WriteAllText(lockFile.Path, LockFile.Serialize(read));
        File.ReadAllBytes(lockFile.Path).ShouldBe(first);
        lockFile.Update("Train", read["Train"]);
        File.ReadAllBytes(lockFile.Path).ShouldBe(first);
    }

    /// <summary>
    /// Writers on separate threads each open their own lock handle; the lock is flock on an open file description,
    /// so they exclude each other exactly as separate processes would.
    /// </summary>
    [Fact]
    public void Concurrent_updates_of_different_targets_all_survive()
    {
        using var root = new CacheTestRoot();
        var targets = Enumerable.Range(0, 16).Select(i => $"Target{i:00}").ToList();
        Parallel.ForEach(targets, new ParallelOptions { MaxDegreeOfParallelism = 8 }, name =>
        {
            var lockFile = new LockFile(root.Root);
            for (var round = 0; round < 3; round++)
                lockFile.Update(name, Entry($"{name}-{round}"));
        });
        var entries = new LockFile(root.Root).Read();
        entries.Keys.Order().ShouldBe(targets);
        entries.Values.ShouldAllBe(e => e.Fingerprint.EndsWith("-2"));
        Directory.GetFiles(root.Root, "*.tmp").ShouldBeEmpty();
    }

    [Fact]
    public void A_damaged_lock_file_is_reported_with_its_path_and_the_fix()
    {
        using var root = new CacheTestRoot();
        var lockFile = new LockFile(root.Root);
        File.WriteAllText(lockFile.Path, "{\n<<<<<<< HEAD\n");
        var error = Should.Throw<InvalidDataException>(() => lockFile.Read());
        error.Message.ShouldContain(lockFile.Path);
        error.Message.ShouldContain("line 2");
    }
}
