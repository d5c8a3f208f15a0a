using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CliWrap.Buffered;
using MLOps.Pipelines.EndToEnd.Tests.Caching;

namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>The fault suite's own compile of the test build, so it runs beside (not after) the other end-to-end tests.</summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<CompiledTestBuild>
{
    public const string Name = "fault injection";
}

/// <summary>
/// What every fault case must hold, checked by <see cref="FaultSuite.Check"/>: the build succeeds with the right outputs
/// or fails with exit 1 or 2 and a message naming the damaged file, never an unhandled exception or a stack trace; no
/// file outside the outputs changes (inputs, sources, a victim folder beside the repository); no good output is lost;
/// and once the fault is cleared, the next run succeeds with the right outputs.
/// </summary>
public static class FaultSuite
{
    /// <summary>The targets every case builds: file outputs, a folder input (Index) and a folder output (Bundle).</summary>
    public const string Targets = "Upper Count Combine Normalize Summarize Index Bundle";

    /// <summary>Every file under out/ (relative path → SHA-256).</summary>
    public static Dictionary<string, string> Outputs(TestRepository repository) => Snapshot(repository.FullPath("out"));

    /// <summary>Files that no build may change: inputs, build sources, and the victim folder beside the repository.</summary>
    public static Dictionary<string, string> Protected(TestRepository repository) =>
        new[] { "data", "build", VictimFolder(repository) }
            .SelectMany(folder => Snapshot(Path.IsPathRooted(folder) ? folder : repository.FullPath(folder)).Select(p => (folder + "/" + p.Key, p.Value)))
            .Where(p => !p.Item1.Split('/').Any(s => s is "bin" or "obj"))
            .ToDictionary(p => p.Item1, p => p.Value);

    public static string VictimFolder(TestRepository repository) => repository.Root + "-victim";

    public static void PlantVictim(TestRepository repository)
    {
        Directory.CreateDirectory(VictimFolder(repository));
        File.WriteAllText(Path.Combine(VictimFolder(repository), "victim.txt"), "must survive every build\n");
    }

    static Dictionary<string, string> Snapshot(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).LinkTarget is null)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal)
            : [];

    /// <summary>
    /// Checks one faulted build against the rules; <paramref name="keptAside"/> are places a recovery may have kept
    /// good outputs instead of putting them back (nothing lost if they are there).
    /// </summary>
    public static void Check(BufferedCommandResult result, string fileName, TestRepository repository,
        Dictionary<string, string> goodOutputs, Dictionary<string, string> protectedFiles)
    {
        var all = result.StandardOutput + result.StandardError;
        all.ShouldNotContain("Unhandled exception", Case.Sensitive, BuildOutput.Describe(result));
        all.ShouldNotMatch(@"\n\s+at [\w.<>`]+\(", BuildOutput.Describe(result)); // no stack frame
        result.ExitCode.ShouldBeOneOf([0, 1, 2], BuildOutput.Describe(result));
        Protected(repository).ShouldBe(protectedFiles, "a file outside the outputs changed");
        var now = Outputs(repository);
        var kept = Snapshot(repository.FullPath(".nuke/temp/backup-kept")).Values.Concat(Snapshot(repository.FullPath(".nuke/temp/backup")).Values).ToHashSet();
        if (result.ExitCode == 0)
        {
            now.ShouldBe(goodOutputs, "the build succeeded with wrong outputs\n" + BuildOutput.Describe(result));
        }
        else
        {
            result.StandardError.ShouldContain(fileName, Case.Sensitive, "the failure does not name the file\n" + BuildOutput.Describe(result));
            foreach (var (path, hash) in goodOutputs)
                (now.GetValueOrDefault(path) == hash || kept.Contains(hash)).ShouldBeTrue($"good output {path} was lost\n{BuildOutput.Describe(result)}");
        }
    }

    /// <summary>The clean run after the fault was cleared: it succeeds with the good outputs.</summary>
    public static async Task CheckCleanRunAsync(TestRepository repository, Dictionary<string, string> goodOutputs, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var clean = await repository.BuildAsync(Targets, environment ?? new Dictionary<string, string?>());
        clean.ExitCode.ShouldBe(0, BuildOutput.Describe(clean));
        Outputs(repository).ShouldBe(goodOutputs, BuildOutput.Describe(clean));
    }

    /// <summary>The action records in the local store, parsed.</summary>
    public static IEnumerable<(string Path, JsonObject Record)> ActionRecords(TestRepository repository) =>
        Directory.EnumerateFiles(repository.FullPath(".nuke/cache/ac"), "*.json").Select(p => (p, JsonNode.Parse(File.ReadAllText(p))!.AsObject()));
}
