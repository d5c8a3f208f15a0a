using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Tests.Caching;

public class TargetCacheTests
{
    static TargetSpec Prepare(string trees = "200") =>
        CacheTestRoot.Spec("Prepare", ["data/raw.csv"], ["out/prepared.csv"], new Dictionary<string, string> { ["Trees"] = trees });

    static TargetSpec Train() => CacheTestRoot.Spec("Train", ["out/prepared.csv"], ["models"]);

    [Fact]
    public void A_target_runs_once_then_is_up_to_date_and_its_lock_entry_records_it()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "a,b\n1,2\n");
        using var cache = root.Cache();

        var runs = 0;
        CacheTestRoot.Execute(cache, Prepare(), () => { runs++; root.Write("out/prepared.csv", "prepared"); }, new Dictionary<string, double> { ["rows"] = 1 })
            .Reasons.ShouldBe(["never run"]);
        var second = cache.Evaluate(Prepare());
        second.Kind.ShouldBe(CacheDecisionKind.UpToDate);
        second.Reasons.ShouldBeEmpty();
        runs.ShouldBe(1);

        var entry = cache.LockFile.Read()["Prepare"];
        entry.Fingerprint.ShouldBe(second.Fingerprint);
        entry.Parameters["Trees"].ShouldBe("200");
        entry.Inputs.ShouldBe([new ManifestEntry("data/raw.csv", 8, ContentHash.Xxh3("a,b\n1,2\n"u8))]);
        entry.Outputs.ShouldBe([new ManifestEntry("out/prepared.csv", 8, ContentHash.Xxh3("prepared"u8))]);
        entry.Metrics["rows"].ShouldBe(1);
    }

    [Fact]
    public void A_parameter_value_seen_before_restores_from_the_local_store_instead_of_running()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare("200"), () => root.Write("out/prepared.csv", "with 200"));
        CacheTestRoot.Execute(cache, Prepare("300"), () => root.Write("out/prepared.csv", "with 300"));

        var back = cache.Evaluate(Prepare("200"));
        back.Kind.ShouldBe(CacheDecisionKind.RestoreLocal);
        back.Reasons.ShouldBe(["parameter Trees: 300 → 200"]);
        cache.TryRestore(back).ShouldBe(RestoreResult.Success);
        root.Read("out/prepared.csv").ShouldBe("with 200");
        cache.Evaluate(Prepare("200")).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        cache.LockFile.Read()["Prepare"].Parameters["Trees"].ShouldBe("200");
    }

    [Fact]
    public void A_modified_output_is_explained_and_restored()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Train() with { Inputs = ["data/raw.csv"] }, () =>
        {
            root.Write("models/model.zip", "model");
            root.Write("models/meta/info.json", "{}");
        });
        root.Write("models/model.zip", "tampered");

        var decision = cache.Evaluate(Train() with { Inputs = ["data/raw.csv"] });
        decision.Kind.ShouldBe(CacheDecisionKind.RestoreLocal);
        decision.Reasons.ShouldBe(["output models modified"]);
        cache.TryRestore(decision).Restored.ShouldBeTrue();
        root.Read("models/model.zip").ShouldBe("model");
        root.Read("models/meta/info.json").ShouldBe("{}");
    }

    [Fact]
    public void Early_cutoff_a_dependant_stays_up_to_date_when_its_input_is_rebuilt_byte_identical()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "A,B\n");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare(), () => root.Write("out/prepared.csv", root.Read("data/raw.csv").ToLowerInvariant()));
        CacheTestRoot.Execute(cache, Train(), () => root.Write("models/model.zip", "m"));

        root.Write("data/raw.csv", "a,b\n"); // different input, same prepared output
        var prepare = cache.Evaluate(Prepare());
        prepare.Kind.ShouldBe(CacheDecisionKind.Run);
        prepare.Reasons.ShouldBe(["input data/raw.csv changed"]);
        CacheTestRoot.Execute(cache, Prepare(), () => root.Write("out/prepared.csv", root.Read("data/raw.csv").ToLowerInvariant()));

        cache.Evaluate(Train()).Kind.ShouldBe(CacheDecisionKind.UpToDate);
    }

    [Fact]
    public void A_flipped_byte_in_the_store_is_detected_reported_deleted_and_the_restore_refused()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare("1"), () => root.Write("out/prepared.csv", "precious output one"));
        CacheTestRoot.Execute(cache, Prepare("2"), () => root.Write("out/prepared.csv", "output two"));

        var blob = cache.Store.BlobPath(ContentHash.Sha256("precious output one"u8));
        var bytes = File.ReadAllBytes(blob);
        bytes[3] ^= 0x01;
        File.WriteAllBytes(blob, bytes);

        var decision = cache.Evaluate(Prepare("1"));
        decision.Kind.ShouldBe(CacheDecisionKind.RestoreLocal);
        var result = cache.TryRestore(decision);
        result.Restored.ShouldBeFalse();
        result.Failure!.ShouldContain("out/prepared.csv");
        root.Warnings.ShouldContain(w => w.Contains(blob) && w.Contains("corrupted"));
        File.Exists(blob).ShouldBeFalse();
        root.Read("out/prepared.csv").ShouldBe("output two"); // outputs untouched
        cache.LockFile.Read()["Prepare"].Parameters["Trees"].ShouldBe("2");
        cache.Evaluate(Prepare("1")).Kind.ShouldBe(CacheDecisionKind.Run);
    }

    [Fact]
    public void No_cache_neither_reads_nor_writes_the_store()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using (var cache = root.Cache(new CacheOptions { NoCache = true }))
        {
            CacheTestRoot.Execute(cache, Prepare("1"), () => root.Write("out/prepared.csv", "one"));
            Directory.Exists(root.PathOf(".nuke/cache")).ShouldBeFalse();
            cache.Evaluate(Prepare("1")).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        }
        using (var cache = root.Cache())
            CacheTestRoot.Execute(cache, Prepare("2"), () => root.Write("out/prepared.csv", "two"));
        using (var cache = root.Cache(new CacheOptions { NoCache = true }))
        {
            CacheTestRoot.Execute(cache, Prepare("1"), () => root.Write("out/prepared.csv", "one"));
            cache.Evaluate(Prepare("2")).Kind.ShouldBe(CacheDecisionKind.Run);
        }
    }

    [Fact]
    public void Force_runs_an_up_to_date_target_and_says_so()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare(), () => root.Write("out/prepared.csv", "p"));
        var forced = cache.Evaluate(Prepare(), force: true);
        forced.Kind.ShouldBe(CacheDecisionKind.Run);
        forced.Reasons.ShouldBe(["forced"]);
    }

    [Fact]
    public void Prune_keeps_what_the_lock_file_references_and_removes_the_rest()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare("1"), () => root.Write("out/prepared.csv", "old one"));
        CacheTestRoot.Execute(cache, Prepare("2"), () => root.Write("out/prepared.csv", "current two"));
        CacheTestRoot.Execute(cache, Train(), () => root.Write("models/m.bin", "model"));

        var result = cache.Prune(new PruneOptions(MaxBytes: 0));

        result.BlobsDeleted.ShouldBe(1);
        result.ActionsDeleted.ShouldBe(1);
        cache.Store.HasBlob(ContentHash.Sha256("old one"u8)).ShouldBeFalse();
        cache.Store.HasBlob(ContentHash.Sha256("current two"u8)).ShouldBeTrue();
        cache.Store.HasBlob(ContentHash.Sha256("model"u8)).ShouldBeTrue();
        cache.Evaluate(Prepare("1")).Kind.ShouldBe(CacheDecisionKind.Run);

        cache.Prune(new PruneOptions(MaxAge: TimeSpan.Zero)).BlobsDeleted.ShouldBe(0);
    }

    [Fact]
    public void A_missing_declared_output_at_commit_names_it_and_rollback_keeps_the_previous_one()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Prepare("1"), () => root.Write("out/prepared.csv", "previous"));

        using var held = cache.LockTarget("Prepare");
        var decision = cache.Evaluate(Prepare("2"));
        using var run = cache.BeginRun(decision);
        var error = Should.Throw<MissingPathException>(() => run.Commit());
        error.Message.ShouldContain("out/prepared.csv");
        run.Rollback();
        root.Read("out/prepared.csv").ShouldBe("previous");
    }

    [Fact]
    public void A_changed_input_directory_is_explained_file_by_file_from_the_persisted_manifest()
    {
        using var root = new CacheTestRoot();
        root.Write("data/images/a.png", "a");
        root.Write("data/images/b.png", "b");
        var spec = CacheTestRoot.Spec("Featurize", ["data/images", "data/**/*.png"], ["out/features.bin"]);
        using (var cache = root.Cache())
            CacheTestRoot.Execute(cache, spec, () => root.Write("out/features.bin", "f"));

        root.Write("data/images/b.png", "B");
        root.Write("data/images/c.png", "c");
        using var next = root.Cache();
        next.Evaluate(spec).Reasons.ShouldBe([
            "input data/**/*.png changed (1 modified, 1 added: data/images/b.png, data/images/c.png)",
            "input data/images changed (1 modified, 1 added: data/images/b.png, data/images/c.png)",
        ]);
    }

    [Fact]
    public void Evaluating_a_target_whose_input_is_missing_names_target_and_path()
    {
        using var root = new CacheTestRoot();
        using var cache = root.Cache();
        var error = Should.Throw<MissingPathException>(() => cache.Evaluate(Prepare()));
        error.Message.ShouldContain("'Prepare'");
        error.Message.ShouldContain("data/raw.csv");
    }
}
