using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using static MLOps.Pipelines.EndToEnd.Tests.Caching.CompiledTestBuild;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>Killed, failing and concurrent builds, and a damaged content store: outputs and lock stay right.</summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class SafetyTests(CompiledTestBuild build)
{
    [Fact]
    public async Task A_build_killed_during_a_target_leaves_the_previous_outputs_and_lock_and_the_next_run_recovers()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync("Publish --stamp one")).ShouldSucceedWith("Succeeded", "Publish");
        repository.TakeExecutions();
        var lockText = repository.LockFileText;

        var output = new StringBuilder();
        using (var process = repository.Start("Publish --stamp two --pause 120", output))
        {
            await WaitForAsync(output, "publish started");
            repository.ReadFile("out/published.txt").ShouldBe("partial two"); // the target really got half-way
            process.Kill(); // SIGKILL: no handler, no finally block runs
            await process.WaitForExitAsync();
        }
        repository.LockFileText.ShouldBe(lockText);

        // The next build puts the previous output back, says so, and finds the target up to date.
        var next = await repository.BuildAsync("Publish --stamp one");
        next.ShouldSucceedWith("UpToDate", "Publish");
        next.StandardError.ShouldContain("target 'Publish': a run interrupted in process");
        repository.ReadFile("out/published.txt").ShouldBe("published one");
        repository.LockFileText.ShouldBe(lockText);
        repository.TakeExecutions().ShouldBe(["Publish"]); // only the killed run's start

        // And the run that was killed goes through.
        (await repository.BuildAsync("Publish --stamp two")).ShouldSucceedWith("Succeeded", "Publish");
        repository.ReadFile("out/published.txt").ShouldBe("published two");
        Directory.EnumerateFileSystemEntries(repository.FullPath(".nuke/temp/backup")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failing_target_leaves_its_previous_outputs_and_the_lock_as_they_were()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync("Publish --stamp one")).ShouldSucceedWith("Succeeded", "Publish");
        var lockText = repository.LockFileText;

        var failed = await repository.BuildAsync("Publish --stamp two --break");
        failed.ExitCode.ShouldBe(1, BuildOutput.Describe(failed));
        BuildOutput.Outcomes(failed.StandardOutput)["Publish"].ShouldBe("Failed");
        failed.StandardOutput.ShouldContain("publishing broke");
        repository.ReadFile("out/published.txt").ShouldBe("published one");
        repository.LockFileText.ShouldBe(lockText);

        (await repository.BuildAsync("Publish --stamp one")).ShouldSucceedWith("UpToDate", "Publish");
    }

    [Fact]
    public async Task Two_concurrent_builds_execute_each_target_once_and_agree_on_the_lock()
    {
        var repository = build.NewRepository();
        // Each body sleeps a little (outside any fingerprint) so that the two processes overlap for sure.
        var slow = new Dictionary<string, string?> { ["E2E_PAUSE_MS"] = "1500" };
        var results = await Task.WhenAll(repository.BuildAsync(Pipeline, slow), repository.BuildAsync(Pipeline, slow));

        foreach (var result in results) result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));
        repository.TakeExecutions().ShouldBe(PipelineTargets.Order(StringComparer.Ordinal));
        var outcomes = results.Select(r => BuildOutput.Outcomes(r.StandardOutput)).ToList();
        foreach (var target in PipelineTargets)
        {
            // One process ran it; the other waited for it and found it up to date (or ran none of it).
            outcomes.Count(o => o[target] == "Succeeded").ShouldBe(1, target);
            outcomes.Count(o => o[target] == "UpToDate").ShouldBe(1, target);
        }
        results.Any(r => r.StandardOutput.Contains("another build is running it; waiting", StringComparison.Ordinal)).ShouldBeTrue();

        // The lock names every target with the outputs actually on disk, as xxhsum (not our code) hashes them.
        using var lockFile = JsonDocument.Parse(repository.LockFileText!);
        var targets = lockFile.RootElement.GetProperty("targets");
        targets.EnumerateObject().Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(PipelineTargets.Order(StringComparer.Ordinal));
        foreach (var target in targets.EnumerateObject())
        {
            foreach (var output in target.Value.GetProperty("outputs").EnumerateArray())
            {
                var path = output.GetProperty("path").GetString()!;
                output.GetProperty("hash").GetString().ShouldBe(await XxhSumAsync(repository.FullPath(path)), path);
                output.GetProperty("size").GetInt64().ShouldBe(new FileInfo(repository.FullPath(path)).Length, path);
            }
        }
        (await repository.BuildAsync(Pipeline)).ShouldSucceedWith("UpToDate", PipelineTargets);
        repository.TakeExecutions().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_flipped_byte_in_the_content_store_is_detected_and_the_target_runs()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync("Upper")).ShouldSucceedWith("Succeeded", "Upper");
        var upper = repository.ReadFile("out/upper.txt");
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(upper)));
        var blob = repository.FullPath($".nuke/cache/cas/{sha[..2]}/{sha}");
        File.ReadAllText(blob).ShouldBe(upper);

        // A deleted output comes back from the store, verified, without running the target.
        File.Delete(repository.FullPath("out/upper.txt"));
        (await repository.BuildAsync("Upper")).ShouldSucceedWith("Restored", "Upper");
        repository.ReadFile("out/upper.txt").ShouldBe(upper);
        repository.TakeExecutions().ShouldBe(["Upper"]);

        var bytes = File.ReadAllBytes(blob);
        bytes[0] ^= 0x01;
        File.WriteAllBytes(blob, bytes);
        File.Delete(repository.FullPath("out/upper.txt"));

        var result = await repository.BuildAsync("Upper");
        result.ShouldSucceedWith("Succeeded", "Upper");
        result.StandardError.ShouldContain($"content store blob {blob} (output out/upper.txt of target 'Upper') is corrupted");
        repository.TakeExecutions().ShouldBe(["Upper"]);
        repository.ReadFile("out/upper.txt").ShouldBe(upper);
        File.ReadAllText(blob).ShouldBe(upper); // the run stored a good copy again
    }

    static async Task<string> XxhSumAsync(string path)
    {
        var result = await Cli.Wrap("xxhsum").WithArguments(["-H128", path]).ExecuteBufferedAsync();
        return result.StandardOutput.Split(' ', 2)[0];
    }

    static async Task WaitForAsync(StringBuilder output, string text)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            lock (output)
                if (output.ToString().Contains(text, StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
        lock (output) throw new TimeoutException($"'{text}' did not appear in:\n{output}");
    }
}
