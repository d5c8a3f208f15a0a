using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Internal.Cli;
using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Store;

namespace MLOps.Pipelines.Tests.Caching;

/// <summary>The cache is an accelerator, never a dependency: malformed records, damaged state and hostile journals.</summary>
public sealed class CacheFaultTests
{
    static TargetSpec Bundle() => CacheTestRoot.Spec("Bundle", ["data/raw.csv"], ["out/bundle"]);

    static string Hex(char c, int length) => new(c, length);

    static ActionRecord Record(params (string Path, bool Directory)[] outputs) => new(1, "T", Hex('f', 64),
        [.. outputs.Select(o => new ActionOutput(o.Path, o.Directory))], [], new Dictionary<string, double>());

    static ActionFile File1(string path) => new(path, 1, Hex('a', 32), Hex('b', 64));

    [Theory]
    [InlineData("same file twice")]
    [InlineData("a file inside a file")]
    [InlineData("a path out of the repository")]
    [InlineData("an output inside an output")]
    [InlineData("an absolute path")]
    public void A_malformed_action_record_is_rejected(string defect)
    {
        var record = defect switch
        {
            "same file twice" => Record(("out/d", true)) with { Files = [File1("out/d/x"), File1("out/d/x")] },
            "a file inside a file" => Record(("out/d", true)) with { Files = [File1("out/d/a"), File1("out/d/a/b")] },
            "a path out of the repository" => Record(("out/d", true)) with { Files = [File1("out/d/../../../victim")] },
            "an output inside an output" => Record(("out/d", true), ("out/d/e", false)) with { Files = [File1("out/d/e")] },
            _ => Record(("/tmp/victim", false)) with { Files = [File1("/tmp/victim")] },
        };
        ActionRecord.TryParse(record.ToJson(), Hex('f', 64)).ShouldBeNull();
        ActionRecord.TryParse((Record(("out/d", true)) with { Files = [File1("out/d/a"), File1("out/d/b/c")] }).ToJson(), Hex('f', 64)).ShouldNotBeNull();
    }

    [Fact]
    public void A_local_record_listing_a_file_twice_is_discarded_with_one_warning_and_the_target_runs()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Bundle(), () => root.Write("out/bundle/a.txt", "a"));
        var fingerprint = cache.LockFile.Read()["Bundle"].Fingerprint;
        var path = root.PathOf($".nuke/cache/ac/{fingerprint}.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["files"]!.AsArray().Add(json["files"]![0]!.DeepClone());
        File.WriteAllText(path, json.ToJsonString());
        Directory.Delete(root.PathOf("out/bundle"), recursive: true);

        var runs = 0;
        CacheTestRoot.Execute(cache, Bundle(), () => { runs++; root.Write("out/bundle/a.txt", "a"); }).Kind.ShouldBe(CacheDecisionKind.Run);
        runs.ShouldBe(1);
        root.Warnings.ShouldHaveSingleItem().ShouldContain(path);
        cache.Evaluate(Bundle()).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        CacheTestRoot.Execute(cache, Bundle(), () => runs++);
        runs.ShouldBe(1);
    }

    [Fact]
    public void A_restore_that_throws_becomes_one_warning_and_run_the_target()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        using var cache = root.Cache();
        CacheTestRoot.Execute(cache, Bundle(), () => root.Write("out/bundle/a.txt", "a"));
        Directory.Delete(root.PathOf("out/bundle"), recursive: true);
        // Staging lives under .nuke/temp/restore: a file there makes creating the staging folder fail.
        root.Write(".nuke/temp/restore", "in the way");

        var decision = cache.Evaluate(Bundle());
        decision.Kind.ShouldBe(CacheDecisionKind.RestoreLocal);
        cache.TryRestore(decision).Restored.ShouldBeFalse();
        root.Warnings.ShouldHaveSingleItem().ShouldContain("the target runs instead");
    }

    [Fact]
    public void Recovery_never_deletes_a_journal_path_outside_the_repository()
    {
        using var root = new CacheTestRoot();
        var victim = Path.Combine(Path.GetDirectoryName(root.Root)!, Path.GetFileName(root.Root) + "-victim.txt");
        File.WriteAllText(victim, "keep me");
        try
        {
            WriteBackup(root, "Upper", $"[{{\"path\":\"../{Path.GetFileName(victim)}\",\"existed\":false}}]");
            using var cache = root.Cache();
            cache.RecoverInterruptedRuns().ShouldHaveSingleItem().ShouldContain("not a plain path inside the repository");
            File.ReadAllText(victim).ShouldBe("keep me");
            root.Warnings.ShouldHaveSingleItem().ShouldNotContain("were put back");
        }
        finally
        {
            File.Delete(victim);
        }
    }

    [Fact]
    public void Recovery_never_touches_a_path_that_is_not_a_declared_output()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "input");
        WriteBackup(root, "Upper", """[{"path":"data/raw.csv","existed":false}]""", saved: "old output");
        using var cache = root.Cache(new CacheOptions { DeclaredOutputs = t => t == "Upper" ? ["out/upper.txt"] : null });
        cache.RecoverInterruptedRuns().ShouldHaveSingleItem().ShouldContain("not a declared output");
        root.Read("data/raw.csv").ShouldBe("input");
        Directory.GetFiles(root.PathOf(".nuke/temp/backup-kept"), "*", SearchOption.AllDirectories).Select(File.ReadAllText).ShouldContain("old output");
    }

    [Fact]
    public void A_dry_run_recovery_moves_and_deletes_nothing()
    {
        using var root = new CacheTestRoot();
        root.Write("out/upper.txt", "partial");
        WriteBackup(root, "Upper", """[{"path":"out/upper.txt","existed":true}]""", saved: "good");
        using var cache = root.Cache(new CacheOptions { ReadOnly = true });
        cache.RecoverInterruptedRuns().ShouldHaveSingleItem().ShouldContain("nothing moved");
        root.Read("out/upper.txt").ShouldBe("partial");
        root.Read(".nuke/temp/backup/Upper/items/0").ShouldBe("good");
    }

    [Fact]
    public void An_unreadable_journal_keeps_the_saved_outputs_and_says_so()
    {
        using var root = new CacheTestRoot();
        root.Write("out/upper.txt", "partial");
        WriteBackup(root, "Upper", """[{"path":"out/up""", saved: "good", raw: true);
        using var cache = root.Cache();
        var message = cache.RecoverInterruptedRuns().ShouldHaveSingleItem();
        message.ShouldContain("cannot be read");
        message.ShouldContain("kept in");
        message.ShouldNotContain("were put back");
        Directory.GetFiles(root.PathOf(".nuke/temp/backup-kept"), "0", SearchOption.AllDirectories).Select(File.ReadAllText).ShouldBe(["good"]);
    }

    static void WriteBackup(CacheTestRoot root, string target, string outputs, string? saved = null, bool raw = false)
    {
        root.Write($".nuke/temp/backup/{target}/journal.json", raw ? outputs : $"{{\"target\":\"{target}\",\"pid\":2147483000,\"outputs\":{outputs}}}");
        Directory.CreateDirectory(root.PathOf($".nuke/temp/backup/{target}/items"));
        if (saved is not null) root.Write($".nuke/temp/backup/{target}/items/0", saved);
    }

    [Fact]
    public void A_flipped_bit_in_the_file_state_or_a_directory_manifest_is_one_warning_naming_the_file()
    {
        using var root = new CacheTestRoot();
        root.Write("data/docs/a.txt", "a");
        root.Age("data/docs/a.txt");
        var spec = CacheTestRoot.Spec("Index", ["data/docs", "data/docs/a.txt"], ["out/index.txt"]);
        using (var cache = root.Cache())
            CacheTestRoot.Execute(cache, spec, () => root.Write("out/index.txt", "i"));
        var damaged = Directory.GetFiles(root.PathOf(".nuke/state/dirs")).Append(root.PathOf(".nuke/state/files.bin")).ToList();
        foreach (var path in damaged)
        {
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length - 20] ^= 0x01; // inside a hash: still well-formed, only a checksum can tell
            File.WriteAllBytes(path, bytes);
        }

        using (var cache = root.Cache())
            cache.Evaluate(spec).Kind.ShouldBe(CacheDecisionKind.UpToDate);
        foreach (var path in damaged)
            root.Warnings.Count(w => w.Contains(path, StringComparison.Ordinal)).ShouldBe(1, string.Join("\n", root.Warnings));
    }

    [Fact]
    public void A_wrong_shaped_code_analysis_cache_is_discarded_with_a_warning_naming_it()
    {
        using var root = new CacheTestRoot();
        var warnings = new List<string>();
        var assemblies = new[] { typeof(CacheFaultTests).Assembly };
        var first = CodeAnalysisCache.Load(AbsolutePath.Create(root.Root), assemblies, warnings.Add);
        first.GetOrAdd("Train", () => new CodeAnalysis(Hex('1', 32), [], []));
        first.Save();
        var path = Directory.GetFiles(root.PathOf(".nuke/state/code")).ShouldHaveSingleItem();
        File.WriteAllText(path, """{"Train": null}""");

        var second = CodeAnalysisCache.Load(AbsolutePath.Create(root.Root), assemblies, warnings.Add);
        second.GetOrAdd("Train", () => new CodeAnalysis(Hex('2', 32), [], [])).Hash.ShouldBe(Hex('2', 32));
        warnings.ShouldHaveSingleItem().ShouldContain(path);
    }

    [Fact]
    public void A_lock_hash_that_is_not_a_hash_is_rejected_and_never_used_as_a_file_name()
    {
        using var root = new CacheTestRoot();
        root.Write("pipelines.lock", """
            { "format": 1, "targets": { "Index": { "fingerprint": "x", "code": "c", "parameters": {}, "tools": {},
              "inputs": [ { "path": "data/docs", "files": 1, "size": 1, "hash": "../../../../../../dev/zero" } ], "outputs": [], "metrics": {} } } }
            """);
        Should.Throw<InvalidDataException>(() => new LockFile(root.Root).Read()).Message.ShouldContain("pipelines.lock");
        FileStateCache.Load(root.PathOf(".nuke/state")).TryGetTree("../../../../../../dev/zero").ShouldBeNull();
    }

    [Theory]
    [InlineData("1e10d")]
    [InlineData("1e300GB")]
    [InlineData("NaNd")]
    public void A_prune_limit_that_overflows_is_a_usage_error(string limit) =>
        Should.Throw<BuildConfigurationException>(() => PruneLimits.Parse([limit])).Message.ShouldContain(limit);

    [Theory]
    [InlineData("ftp://ci:hunter2@cache.example/x", "ftp://***@cache.example/x")]
    [InlineData("http://user@host:8080/", "http://***@host:8080/")]
    [InlineData("http://host/a@b", "http://host/a@b")]
    [InlineData("ci:hunter2@cache", "***@cache")]
    public void A_url_is_printed_without_its_credentials(string url, string printed) => CacheOptions.Redact(url).ShouldBe(printed);

    [Fact]
    public void The_file_state_replaced_by_a_folder_is_discarded_and_saving_it_fails_nothing()
    {
        using var root = new CacheTestRoot();
        root.Write("data/raw.csv", "raw");
        Directory.CreateDirectory(root.PathOf(".nuke/state/files.bin/x"));
        using (var cache = root.Cache())
            CacheTestRoot.Execute(cache, CacheTestRoot.Spec("P", ["data/raw.csv"], ["out/p"]), () => root.Write("out/p", "p"));
        File.Exists(root.PathOf(".nuke/state/files.bin")).ShouldBeTrue();
        root.Warnings.ShouldHaveSingleItem().ShouldContain("files.bin is a folder");
        Encoding.UTF8.GetString(File.ReadAllBytes(root.PathOf(".nuke/state/files.bin"))).ShouldContain("data/raw.csv");
    }
}
