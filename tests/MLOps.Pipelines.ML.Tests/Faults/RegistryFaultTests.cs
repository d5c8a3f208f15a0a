using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Registry;

namespace MLOps.Pipelines.ML.Tests.Faults;

/// <summary>
/// Fault injection over the model registry's persisted files (registry.json, registry.lock, a model blob, the
/// registration receipt): each case damages one file, then runs every registry operation on the real registry. Each
/// operation either succeeds or fails with one line naming the damaged file (a <see cref="ModelRegistryException"/>,
/// or for the receipt an <see cref="InvalidDataException"/>/<see cref="FileNotFoundException"/>); a failed operation
/// changes no existing file; nothing outside the repository is created or changed; and once the file is restored the
/// next clean run (register, promote, get, download, read the receipt) succeeds with every earlier version intact.
/// </summary>
public sealed class RegistryFaultTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases() => [.. RegistryFaultCases.All.Keys];

    [Fact]
    public void The_suite_covers_every_file_and_fault() =>
        // 4 files × 5 generic faults + 26 hand-crafted registry.json contents + 12 hand-crafted receipts.
        RegistryFaultCases.All.Count.ShouldBe(58);

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_damaged_registry_file_fails_clearly_and_loses_nothing(string name)
    {
        var fault = RegistryFaultCases.All[name];
        using var repository = new FaultedRepository();
        var target = repository.PathOf(fault.File);
        var original = File.ReadAllBytes(target);
        var goodVersions = repository.Registry.Versions();

        fault.Apply(target, repository.Token);

        var outcomes = new List<string>();
        foreach (var (operation, run) in repository.Operations())
        {
            var before = repository.Snapshot();
            try
            {
                run();
                outcomes.Add($"{operation}: ok");
            }
            catch (Exception e)
            {
                outcomes.Add($"{operation}: {e.GetType().Name}: {e.Message}");
                output.WriteLine(outcomes[^1]);
                (e is ModelRegistryException || (fault.File == RegistryFileKind.Receipt && e is InvalidDataException or FileNotFoundException))
                    .ShouldBeTrue($"{operation} threw {e.GetType().Name} (not one clear error): {e}");
                e.Message.ShouldNotContain("\n", customMessage: $"{operation}: one line");
                e.Message.ShouldContain(target, customMessage: $"{operation}: the error names the damaged file");
                e.Message.ShouldNotContain("Timed out", customMessage: $"{operation}: no other process holds the lock");
                repository.Snapshot().ChangedSince(before).ShouldBeEmpty($"{operation} failed but changed files");
            }
            repository.Outside().ShouldBeEmpty($"{operation} touched files outside the repository");
        }

        foreach (var outcome in outcomes) output.WriteLine(outcome);
        if (fault.Rejected)
            outcomes.ShouldNotContain(fault.File == RegistryFileKind.Receipt ? "read receipt: ok" : "list: ok", "a hand-crafted bad value was trusted");
        if (fault.File != RegistryFileKind.Registry)
            foreach (var good in goodVersions)
                repository.Registry.Get(good.Version).ModelSha256.ShouldBe(good.ModelSha256);

        // The next clean run: the file restored (from git, or deleted and rebuilt), everything works again.
        FaultedRepository.Restore(target, original);
        repository.CleanRun(goodVersions);
        repository.Outside().ShouldBeEmpty();
    }
}

public enum RegistryFileKind { Registry, Lock, Blob, Receipt }

/// <summary>One damage done to one registry file; <c>token</c> makes traversal targets unique to the case.</summary>
/// <param name="Rejected">A hand-crafted content the reader must refuse (reading it succeeds only by trusting it).</param>
public sealed record RegistryFault(RegistryFileKind File, Action<string, string> Apply, bool Rejected = false);

internal static class RegistryFaultCases
{
    public static readonly IReadOnlyDictionary<string, RegistryFault> All = Build();

    static Dictionary<string, RegistryFault> Build()
    {
        var cases = new Dictionary<string, RegistryFault>();
        foreach (var file in Enum.GetValues<RegistryFileKind>())
        {
            cases[$"{file}: truncate"] = new(file, (p, _) => { var b = File.ReadAllBytes(p); File.WriteAllBytes(p, b[..(b.Length / 2)]); });
            cases[$"{file}: flip a byte"] = new(file, (p, _) => { var b = File.ReadAllBytes(p); if (b.Length > 0) b[b.Length / 2] ^= 0x5A; File.WriteAllBytes(p, b); });
            cases[$"{file}: empty"] = new(file, (p, _) => File.WriteAllBytes(p, []));
            cases[$"{file}: a folder in its place"] = new(file, (p, _) => { File.Delete(p); Directory.CreateDirectory(p); File.WriteAllText(Path.Combine(p, "inside.txt"), "x"); });
            // Root ignores chmod 000; a link to itself fails every open with ELOOP.
            cases[$"{file}: unreadable"] = new(file, (p, _) => { File.Delete(p); File.CreateSymbolicLink(p, p); });
        }

        void Json(string name, Action<JsonObject, string> edit) =>
            cases[$"Registry: {name}"] = new(RegistryFileKind.Registry, (p, token) => EditJson(p, j => edit(j, token)), Rejected: true);
        JsonObject V(JsonObject j, int i) => j["versions"]![i]!.AsObject();

        Json("version 0", (j, _) => V(j, 0)["version"] = 0);
        Json("version -1", (j, _) => V(j, 0)["version"] = -1);
        Json("version int.MaxValue", (j, _) => { var copy = V(j, 1).DeepClone().AsObject(); copy["version"] = int.MaxValue; j["versions"]!.AsArray().Add(copy); });
        Json("version as a string", (j, _) => V(j, 0)["version"] = "1");
        Json("version null", (j, _) => V(j, 0)["version"] = null);
        Json("duplicate versions", (j, _) => j["versions"]!.AsArray().Add(V(j, 0).DeepClone()));
        Json("model ../x", (j, t) => j["model"] = $"../{t}");
        Json("model /tmp/x", (j, t) => j["model"] = $"/tmp/{t}");
        Json("model empty", (j, _) => j["model"] = "");
        Json("model null", (j, _) => j["model"] = null);
        Json("another model's name", (j, _) => j["model"] = "customer-churn");
        Json("modelFile ../x", (j, t) => V(j, 1)["modelFile"] = $"../../{t}");
        Json("modelFile /tmp/x", (j, t) => V(j, 1)["modelFile"] = $"/tmp/{t}");
        Json("modelFile empty", (j, _) => V(j, 1)["modelFile"] = "");
        Json("digest a traversal", (j, t) => V(j, 1)["modelSha256"] = $"../../../../{t}");
        Json("digest not hex", (j, _) => V(j, 1)["modelSha256"] = new string('z', 64));
        Json("digest null", (j, _) => V(j, 1)["modelSha256"] = null);
        Json("alias to a missing version", (j, _) => { j["aliases"]!["champion"] = 9; LastMove(j, "champion")["to"] = 9; });
        Json("history to a missing version", (j, _) => FirstMove(j, "champion")["to"] = 9);
        Json("history from a missing version", (j, _) => LastMove(j, "champion")["from"] = 9);
        Json("alias named ../x", (j, t) => AddAlias(j, $"../{t}"));
        Json("alias named empty", (j, _) => AddAlias(j, ""));
        Json("alias null", (j, _) => j["aliases"]!["champion"] = null);
        Json("aliases null", (j, _) => j["aliases"] = null);
        Json("versions null", (j, _) => j["versions"] = null);
        cases["Registry: duplicate alias keys"] = new(RegistryFileKind.Registry, (p, _) =>
            File.WriteAllText(p, File.ReadAllText(p).Replace("\"aliases\": {", "\"aliases\": {\n    \"champion\": 1,", StringComparison.Ordinal)), Rejected: true);

        void Receipt(string name, Action<JsonObject, string> edit) =>
            cases[$"Receipt: {name}"] = new(RegistryFileKind.Receipt, (p, token) => EditJson(p, j => edit(j, token)), Rejected: true);
        Receipt("model ../x", (j, t) => j["model"] = $"../{t}");
        Receipt("model /tmp/x", (j, t) => j["model"] = $"/tmp/{t}");
        Receipt("model empty", (j, _) => j["model"] = "");
        Receipt("model null", (j, _) => j["model"] = null);
        Receipt("version 0", (j, _) => j["version"] = 0);
        Receipt("version -1", (j, _) => j["version"] = -1);
        Receipt("version null", (j, _) => j["version"] = null);
        Receipt("digest a traversal", (j, t) => j["model_sha256"] = $"../../{t}");
        Receipt("digest null", (j, _) => j["model_sha256"] = null);
        Receipt("aliases null", (j, _) => j["aliases_at_registration"] = null);
        cases["Receipt: the JSON literal null"] = new(RegistryFileKind.Receipt, (p, _) => File.WriteAllText(p, "null"), Rejected: true);
        cases["Receipt: an array"] = new(RegistryFileKind.Receipt, (p, _) => File.WriteAllText(p, "[]"), Rejected: true);
        return cases;
    }

    static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    static JsonObject FirstMove(JsonObject j, string alias) => j["aliasHistory"]!.AsArray().Select(m => m!.AsObject()).First(m => (string?)m["alias"] == alias);
    static JsonObject LastMove(JsonObject j, string alias) => j["aliasHistory"]!.AsArray().Select(m => m!.AsObject()).Last(m => (string?)m["alias"] == alias);

    static void AddAlias(JsonObject j, string alias)
    {
        j["aliases"]![alias] = 1;
        var move = FirstMove(j, "champion").DeepClone().AsObject();
        move["alias"] = alias;
        j["aliasHistory"]!.AsArray().Add(move);
    }
}

/// <summary>
/// A repository with a registry holding two versions (champion v1 → v2, so a rollback is possible), their blobs and a
/// receipt, plus a victim folder beside it that no operation may touch.
/// </summary>
internal sealed class FaultedRepository : IDisposable
{
    readonly TemporaryDirectory _root = new();
    readonly AbsolutePath _victim;
    readonly string _victimFile;
    int _models;

    public FaultedRepository()
    {
        Token = "victim-" + Guid.NewGuid().ToString("N")[..12];
        _victim = _root.Path.Parent! / Token;
        _victim.CreateDirectory();
        _victimFile = _victim / "keep.txt";
        File.WriteAllText(_victimFile, "outside the repository");
        Blobs = FileSystemModelBlobStore.ForRepository(Root);
        Registry = ModelRegistry.ForModel(Root, "flight-delays", Blobs,
            new ModelRegistryOptions { User = "fault-suite", LockTimeout = TimeSpan.FromSeconds(2) });
        Receipt = Root / "artifacts" / "flight-delays" / RegistrationReceipt.FileName;
        foreach (var auc in new[] { 0.80, 0.85 })
        {
            var version = Register(auc);
            Registry.SetAlias(ModelAliases.Challenger, version.Version, "fault suite");
            Registry.Promote(qualityGatePassed: true);
        }
        var latest = Registry.Get(ModelAliases.Champion);
        Receipt.Parent!.CreateDirectory();
        new RegistrationReceipt("flight-delays", latest.Version, latest.ModelSha256, ["challenger", "champion"]).Write(Receipt);
    }

    public AbsolutePath Root => _root.Path;
    public string Token { get; }
    public FileSystemModelBlobStore Blobs { get; }
    public ModelRegistry Registry { get; }
    public AbsolutePath Receipt { get; }

    public string PathOf(RegistryFileKind file) => file switch
    {
        RegistryFileKind.Registry => Registry.File,
        RegistryFileKind.Lock => Registry.Directory / ModelRegistry.LockFileName,
        RegistryFileKind.Blob => Blobs.PathOf(Registry.Get(ModelAliases.Champion).ModelSha256),
        _ => Receipt,
    };

    ModelVersion Register(double auc)
    {
        var model = _root.WriteFile($"artifacts/model-{_models++}.zip", $"model with auc {auc} #{_models} {Guid.NewGuid()}");
        return Registry.Register(new ModelRegistration(
            model,
            new Dictionary<string, string> { ["train"] = new string('1', 64) },
            "fp-" + auc,
            new Dictionary<string, string> { ["trees"] = "20" },
            new Dictionary<string, double> { ["auc"] = auc },
            GitCommit: "unknown"));
    }

    /// <summary>Every registry operation a build runs: list, get champion, blob read, register, promote, rollback, receipt.</summary>
    public IEnumerable<(string Name, Action Run)> Operations()
    {
        yield return ("list", () => { _ = Registry.Versions(); _ = Registry.Aliases(); _ = Registry.History(); _ = Registry.AliasesOf(1); });
        yield return ("get champion", () => Registry.Get(ModelAliases.Champion));
        yield return ("get v2", () => Registry.Get("v2"));
        yield return ("download champion", () => Registry.Download(ModelAliases.Champion, Root / "out" / "champion.zip"));
        yield return ("register", () => Register(0.90));
        yield return ("set challenger", () => Registry.SetAlias(ModelAliases.Challenger, Registry.Versions().Max(v => v.Version), "fault suite"));
        yield return ("promote", () => Registry.Promote(qualityGatePassed: true));
        yield return ("rollback", () => Registry.Rollback("fault suite"));
        yield return ("read receipt", () => RegistrationReceipt.Read(Receipt));
        yield return ("receipt recorded", () => RegisterStage.IsRecorded(Registry, Receipt));
    }

    public void CleanRun(IReadOnlyList<ModelVersion> goodVersions)
    {
        foreach (var good in goodVersions)
        {
            Registry.Get(good.Version).ModelSha256.ShouldBe(good.ModelSha256);
            Registry.Download(good.Version, Root / "out" / $"v{good.Version}.zip");
        }
        var version = Register(0.95);
        Registry.SetAlias(ModelAliases.Challenger, version.Version, "clean run");
        Registry.Promote(qualityGatePassed: true).Promoted.ShouldBeTrue();
        Registry.Get(ModelAliases.Champion).Version.ShouldBe(version.Version);
        Registry.Download(ModelAliases.Champion, Root / "out" / "champion.zip");
        Registry.Rollback("clean run");
        RegistrationReceipt.Read(Receipt).Model.ShouldBe("flight-delays");
        RegisterStage.IsRecorded(Registry, Receipt).ShouldBeTrue();
    }

    /// <summary>Puts the file back as it was (what "restore it from git" or "delete it and run again" achieves).</summary>
    public static void Restore(string path, byte[] original)
    {
        if (new FileInfo(path).LinkTarget is not null) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        File.WriteAllBytes(path, original);
    }

    /// <summary>Every file in the repository with its digest (a folder or link in a file's place is recorded as such).</summary>
    public RepositorySnapshot Snapshot()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (entry.LinkTarget is not null) entries[entry.FullName] = "link:" + entry.LinkTarget;
            else if (entry is FileInfo file) entries[entry.FullName] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file.FullName)));
        }
        return new RepositorySnapshot(entries);
    }

    /// <summary>What changed outside the repository: the victim folder, and anything named after this case's token.</summary>
    public IReadOnlyList<string> Outside()
    {
        var changes = new List<string>();
        if (!File.Exists(_victimFile) || File.ReadAllText(_victimFile) != "outside the repository") changes.Add(_victimFile);
        if (Directory.GetFileSystemEntries(_victim).Length != 1) changes.Add(_victim);
        foreach (var folder in new[] { "/tmp", _root.Path.Parent!.ToString(), Root / "models", Root / ".nuke" / "cache" })
            if (Directory.Exists(folder))
                changes.AddRange(Directory.GetFileSystemEntries(folder).Where(e => e.Contains(Token, StringComparison.Ordinal) && e != _victim.ToString()));
        return changes;
    }

    public void Dispose()
    {
        _root.Dispose();
        try { Directory.Delete(_victim, recursive: true); }
        catch (IOException) { /* cleaned with the temp folder */ }
    }
}

internal sealed record RepositorySnapshot(IReadOnlyDictionary<string, string> Entries)
{
    /// <summary>Files that were changed or removed (new files are allowed: a blob stored before a failed write).</summary>
    public IReadOnlyList<string> ChangedSince(RepositorySnapshot before) =>
        [.. before.Entries.Where(e => !Entries.TryGetValue(e.Key, out var now) || now != e.Value).Select(e => e.Key)];
}
