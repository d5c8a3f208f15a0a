using System.Security.Cryptography;
using System.Text;
using static MLOps.Pipelines.EndToEnd.Tests.Caching.CompiledTestBuild;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>
/// Bazel's HTTP remote-cache protocol against a real nginx with WebDAV: one checkout pushes, a clean second checkout
/// restores every target without running any, and a tampered blob on the server is rejected.
/// </summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class RemoteCacheTests(CompiledTestBuild build) : IDisposable
{
    readonly NginxWebDavServer _server = new();

    [Fact]
    public async Task A_clean_checkout_restores_every_target_from_the_cache_another_checkout_pushed()
    {
        var first = build.NewRepository();
        var push = await first.BuildAsync($"{Pipeline} --remote-cache {_server.Url} --remote-cache-push");
        push.ShouldSucceedWith("Succeeded", PipelineTargets);
        push.StandardError.ShouldNotContain("warning");
        Directory.EnumerateFiles(Path.Combine(_server.StoreDirectory, "cache", "ac")).Count().ShouldBe(PipelineTargets.Length);

        var second = build.NewRepository();
        var restore = await second.BuildAsync($"{Pipeline} --remote-cache {_server.Url}");
        restore.ShouldSucceedWith("Restored", PipelineTargets);
        restore.StandardError.ShouldNotContain("warning");
        second.TakeExecutions().ShouldBeEmpty();
        foreach (var output in Directory.EnumerateFiles(first.FullPath("out")).Select(Path.GetFileName))
            second.ReadFile($"out/{output}").ShouldBe(first.ReadFile($"out/{output}"), output);
        // Same fingerprints, same outputs, nothing machine- or path-specific: the lock files are identical.
        second.LockFileText.ShouldBe(first.LockFileText);

        (await second.BuildAsync($"{Pipeline} --remote-cache {_server.Url}")).ShouldSucceedWith("UpToDate", PipelineTargets);
    }

    [Fact]
    public async Task A_tampered_blob_on_the_server_is_rejected_and_its_target_runs()
    {
        var first = build.NewRepository();
        (await first.BuildAsync($"{Pipeline} --remote-cache {_server.Url} --remote-cache-push")).ExitCode.ShouldBe(0);
        var upper = first.ReadFile("out/upper.txt");
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(upper)));
        var blob = Path.Combine(_server.StoreDirectory, "cache", "cas", sha);
        File.ReadAllText(blob).ShouldBe(upper);
        File.WriteAllText(blob, "JELLO WORLD\n"); // same size, different bytes

        var second = build.NewRepository();
        var result = await second.BuildAsync($"{Pipeline} --remote-cache {_server.Url}");
        result.ShouldSucceedWith("Succeeded", "Upper");
        result.ShouldSucceedWith("Restored", "Count", "Combine", "Normalize", "Summarize", "Index");
        result.StandardError.ShouldContain($"blob cas/{sha} failed verification");
        second.TakeExecutions().ShouldBe(["Upper"]);
        second.ReadFile("out/upper.txt").ShouldBe(upper);
        Directory.EnumerateFiles(second.FullPath(".nuke/cache/cas"), "*", SearchOption.AllDirectories)
            .Select(File.ReadAllText).ShouldNotContain("JELLO WORLD\n");
    }

    [Fact]
    public async Task An_unreachable_remote_cache_is_a_warning_and_the_build_runs()
    {
        var repository = build.NewRepository();
        var nobody = $"http://127.0.0.1:{LoopbackPort.Free()}/cache/";
        var result = await repository.BuildAsync($"Upper Count --remote-cache {nobody} --remote-cache-push");
        result.ShouldSucceedWith("Succeeded", "Upper", "Count");
        result.StandardError.ShouldContain($"remote cache {nobody}");
        result.StandardError.ShouldContain("unreachable");
    }

    public void Dispose() => _server.Dispose();
}
