using MLOps.Pipelines.EndToEnd.Tests.Caching;
using static MLOps.Pipelines.EndToEnd.Tests.Faults.FaultSuite;

namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>One in-test remote cache for the class, filled once by a checkout that pushes everything.</summary>
public sealed class FilledRemoteCache : IDisposable
{
    public FaultyRemoteCache Server { get; } = new();
    public Dictionary<string, string>? Good { get; set; }

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// A clean checkout builds against a remote cache that misbehaves (wrong blob, endless or short stream, a server that
/// hangs, resets or answers 500, records declaring 10^15 bytes, listing a file twice, a file inside a file, a path out
/// of the repository, a 32 MiB record): the build succeeds with the right outputs, no file outside the outputs changes,
/// nothing unbounded is downloaded, and the next run against a healthy server succeeds.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RemoteCacheFaultTests(CompiledTestBuild build, FilledRemoteCache remote) : IClassFixture<FilledRemoteCache>
{
    public static TheoryData<RemoteFault> Cases() => [.. Enum.GetValues<RemoteFault>()];

    Dictionary<string, string?> Environment => new()
    {
        ["MLOPS_REMOTE_CACHE"] = remote.Server.Url,
        ["MLOPS_REMOTE_CACHE_TIMEOUT"] = "1", // a hanging server costs one second, once
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_misbehaving_remote_cache_never_breaks_a_build_or_brings_a_wrong_output(RemoteFault fault)
    {
        await FillAsync();
        var repository = build.NewRepository();
        PlantVictim(repository);
        var protectedFiles = Protected(repository);

        remote.Server.Fault = fault;
        remote.Server.ResetCounters();
        var result = await repository.BuildAsync(Targets, Environment);
        remote.Server.Fault = RemoteFault.None;

        Check(result, "remote cache", repository, remote.Good!, protectedFiles);
        result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));
        // Bounded: an endless blob stream stops at the declared size; a record at its 16 MiB ceiling (both plus buffers).
        remote.Server.BytesSent.ShouldBeLessThan(64L << 20, BuildOutput.Describe(result));
        if (fault != RemoteFault.None)
            result.StandardError.ShouldContain("warning:", Case.Sensitive, BuildOutput.Describe(result));
        else
            BuildOutput.Outcomes(result.StandardOutput).Values.ShouldAllBe(o => o == "Restored");

        File.Exists(Path.Combine(VictimFolder(repository), "victim.txt")).ShouldBeTrue();
        await CheckCleanRunAsync(repository, remote.Good!, Environment);
    }

    /// <summary>
    /// The ceiling is configurable: with MLOPS_REMOTE_CACHE_MAX_BLOB under the outputs' size, a healthy remote is a miss
    /// with a warning naming the variable, and nothing is downloaded.
    /// </summary>
    [Fact]
    public async Task Blobs_over_the_configured_ceiling_are_not_downloaded()
    {
        await FillAsync();
        var repository = build.NewRepository();
        remote.Server.ResetCounters();
        var environment = Environment;
        environment["MLOPS_REMOTE_CACHE_MAX_BLOB"] = "4";
        var result = await repository.BuildAsync(Targets, environment);
        result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));
        result.StandardError.ShouldContain("MLOPS_REMOTE_CACHE_MAX_BLOB");
        Outputs(repository).ShouldBe(remote.Good!);
        BuildOutput.Outcomes(result.StandardOutput).Values.ShouldAllBe(o => o == "Succeeded");

        var flag = await build.NewRepository().BuildAsync(Targets + " --remote-cache-max-blob 4", environment);
        flag.StandardError.ShouldContain("over the 4-byte ceiling");
    }

    async Task FillAsync()
    {
        if (remote.Good is not null) return;
        var first = build.NewRepository();
        var environment = Environment;
        environment["MLOPS_REMOTE_CACHE_PUSH"] = "1";
        var push = await first.BuildAsync(Targets, environment);
        push.ExitCode.ShouldBe(0, BuildOutput.Describe(push));
        push.StandardError.ShouldNotContain("warning");
        remote.Server.Entries.ShouldBeGreaterThan(7);
        remote.Good = Outputs(first);
    }
}
