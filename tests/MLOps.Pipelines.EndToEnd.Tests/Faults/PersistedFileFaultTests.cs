using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.EndToEnd.Tests.Caching;
using static MLOps.Pipelines.EndToEnd.Tests.Faults.FaultSuite;

namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>A file the engine persists.</summary>
public enum PersistedFile
{
    /// <summary><c>pipelines.lock</c> (committed; a damaged one is an error naming it, never silently replaced).</summary>
    LockFile,
    /// <summary><c>.nuke/state/files.bin</c>: (path, identity) → hash.</summary>
    FileState,
    /// <summary><c>.nuke/state/dirs/*</c>: directory manifests.</summary>
    DirectoryManifests,
    /// <summary><c>.nuke/state/trees/*</c>: file lists of folder inputs, read to explain a change.</summary>
    TreeLists,
    /// <summary><c>.nuke/state/code/*.json</c>: code analyses.</summary>
    CodeAnalysis,
    /// <summary><c>.nuke/cache/ac/*.json</c>: action records, read when restoring.</summary>
    ActionRecords,
    /// <summary><c>.nuke/cache/cas/*/*</c>: the store's blobs, read when restoring.</summary>
    Blobs,
    /// <summary><c>.nuke/temp/backup/&lt;target&gt;/journal.json</c>: left by a killed run, read by recovery.</summary>
    BackupJournal,
}

/// <summary>
/// Every persisted engine file × every fault (truncate, flip a byte, empty, a folder in its place, unreadable, a
/// hand-crafted traversal where the format holds paths or names files): the rules of <see cref="FaultSuite"/> hold.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class PersistedFileFaultTests(CompiledTestBuild build)
{
    public static TheoryData<PersistedFile, Fault> Cases()
    {
        var cases = new TheoryData<PersistedFile, Fault>();
        foreach (var file in Enum.GetValues<PersistedFile>())
        {
            foreach (var fault in Enum.GetValues<Fault>())
            {
                // Traversal applies where a file holds paths or its content names a file; the binary state and the
                // code analyses hold neither (their keys are hashes of full paths, and target names).
                if (fault == Fault.Traversal && file is PersistedFile.FileState or PersistedFile.DirectoryManifests or PersistedFile.CodeAnalysis) continue;
                cases.Add(file, fault);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_damaged_persisted_file_never_breaks_a_build_loses_an_output_or_touches_a_file_outside_the_outputs(PersistedFile file, Fault fault)
    {
        var repository = build.NewRepository();
        PlantVictim(repository);
        (await repository.BuildAsync(Targets)).ExitCode.ShouldBe(0);
        var good = Outputs(repository);
        good.Keys.ShouldContain("bundle/parts/one.txt");

        if (file is PersistedFile.TreeLists or PersistedFile.ActionRecords or PersistedFile.Blobs)
        {
            // Visit another version of data/docs and come back: Index and Bundle then restore from the local store,
            // reading the action records and blobs, and the explanation reads the tree list the lock names.
            repository.WriteFile("data/docs/two.txt", "second, edited\n");
            (await repository.BuildAsync(Targets)).ExitCode.ShouldBe(0);
            repository.WriteFile("data/docs/two.txt", "second\n");
        }
        if (file is PersistedFile.BackupJournal)
            LeaveBackupOfKilledRun(repository);
        var protectedFiles = Protected(repository);

        var paths = Paths(repository, file);
        paths.ShouldNotBeEmpty($"no {file} file to damage");
        var lockCopy = File.ReadAllBytes(repository.FullPath("pipelines.lock"));
        foreach (var path in paths)
        {
            if (fault == Fault.Traversal) Craft(repository, file, path);
            else FaultInjector.Apply(fault, path);
        }

        var result = await repository.BuildAsync(Targets);
        Check(result, file == PersistedFile.LockFile ? "pipelines.lock" : Path.GetFileName(paths[0]), repository, good, protectedFiles);
        if (file == PersistedFile.LockFile)
        {
            // A damaged lock is never silently replaced (it is reviewed and committed): the build stops at it.
            result.ExitCode.ShouldBe(2, BuildOutput.Describe(result));
            result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("error:", StringComparison.Ordinal)).ShouldBe(1);
        }

        foreach (var path in paths) FaultInjector.Clear(path);
        if (file == PersistedFile.LockFile) File.WriteAllBytes(repository.FullPath("pipelines.lock"), lockCopy);
        await CheckCleanRunAsync(repository, good);
    }

    /// <summary>What a build killed while Upper ran leaves: the good output moved into the backup, a partial one in its place.</summary>
    static void LeaveBackupOfKilledRun(TestRepository repository)
    {
        var backup = repository.FullPath(".nuke/temp/backup/Upper");
        Directory.CreateDirectory(Path.Combine(backup, "items"));
        File.Move(repository.FullPath("out/upper.txt"), Path.Combine(backup, "items", "0"));
        File.WriteAllText(Path.Combine(backup, "journal.json"), """{ "target": "Upper", "pid": 2147483000, "outputs": [ { "path": "out/upper.txt", "existed": true } ] }""");
        repository.WriteFile("out/upper.txt", "partial");
    }

    static List<string> Paths(TestRepository repository, PersistedFile file)
    {
        string[] Files(string folder, string pattern = "*") =>
            Directory.Exists(repository.FullPath(folder)) ? Directory.GetFiles(repository.FullPath(folder), pattern, SearchOption.AllDirectories) : [];
        return file switch
        {
            PersistedFile.LockFile => [repository.FullPath("pipelines.lock")],
            PersistedFile.FileState => [repository.FullPath(".nuke/state/files.bin")],
            PersistedFile.DirectoryManifests => [.. Files(".nuke/state/dirs")],
            PersistedFile.TreeLists => [.. Files(".nuke/state/trees")],
            PersistedFile.CodeAnalysis => [.. Files(".nuke/state/code", "*.json")],
            PersistedFile.ActionRecords => [.. Files(".nuke/cache/ac", "*.json")],
            PersistedFile.Blobs => [.. Files(".nuke/cache/cas").Where(p => !p.EndsWith(".tmp", StringComparison.Ordinal))],
            _ => [repository.FullPath(".nuke/temp/backup/Upper/journal.json")],
        };
    }

    /// <summary>A hand-crafted file that points out of the repository, in the file's own format.</summary>
    static void Craft(TestRepository repository, PersistedFile file, string path)
    {
        var victim = "../" + Path.GetFileName(VictimFolder(repository)) + "/victim.txt";
        switch (file)
        {
            case PersistedFile.LockFile:
                // A hash the engine once used as a file name: /dev/zero was read until memory ran out.
                var lockFile = JsonNode.Parse(File.ReadAllText(path))!;
                lockFile["targets"]!["Index"]!["inputs"]![0]!["hash"] = "../../../../../../../../dev/zero";
                File.WriteAllText(path, lockFile.ToJsonString());
                break;
            case PersistedFile.TreeLists:
                File.WriteAllText(path, $"5\t00000000000000000000000000000000\t{victim}\n");
                break;
            case PersistedFile.ActionRecords:
                var record = JsonNode.Parse(File.ReadAllText(path))!;
                var files = record["files"]!.AsArray();
                var escape = files[0]!.DeepClone();
                escape["path"] = record["outputs"]![0]!["path"]!.GetValue<string>() + "/../../../" + victim[3..];
                files.Add(escape);
                File.WriteAllText(path, record.ToJsonString());
                break;
            case PersistedFile.Blobs:
                File.Delete(path);
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case PersistedFile.BackupJournal:
                // Paths a journal must never make recovery delete: an input of the repository, and a file outside it.
                File.WriteAllText(path, $$"""{ "target": "Upper", "pid": 2147483000, "outputs": [ { "path": "data/a.txt", "existed": false }, { "path": "{{victim}}", "existed": false }, { "path": "out/upper.txt", "existed": true } ] }""", Encoding.UTF8);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(file), file, "no traversal for this file");
        }
    }
}
