using System.Text.Json.Nodes;
using static MLOps.Pipelines.EndToEnd.Tests.Caching.CompiledTestBuild;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>The audit log as ./build.sh keeps it: concurrent processes extend one chain, --verify-audit checks it.</summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class AuditTrailTests(CompiledTestBuild build)
{
    [Fact]
    public async Task Concurrent_builds_keep_one_valid_chain_and_a_tampered_record_is_named()
    {
        var repository = build.NewRepository();
        var slow = new Dictionary<string, string?> { ["E2E_PAUSE_MS"] = "300" };
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => repository.BuildAsync(Pipeline, slow)));
        foreach (var result in results) result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));

        var verified = await repository.BuildAsync("--verify-audit");
        verified.ExitCode.ShouldBe(0, BuildOutput.Describe(verified));
        verified.StandardOutput.ShouldContain("4 records checked, chain intact");

        var log = repository.FullPath(".nuke/audit/audit.log");
        var lines = File.ReadAllLines(log);
        lines.Select(l => JsonNode.Parse(l)!["seq"]!.GetValue<long>()).ShouldBe([1, 2, 3, 4]);
        // Every target ran exactly once across the four builds; every record names every target with its fingerprint.
        foreach (var line in lines)
        {
            var targets = JsonNode.Parse(line)!["targets"]!.AsArray();
            targets.Select(t => t!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ShouldBe(PipelineTargets.Order(StringComparer.Ordinal));
            targets.ShouldAllBe(t => t!["fingerprint"] != null);
        }

        lines[2] = lines[2].Replace("\"exitCode\":0", "\"exitCode\":2", StringComparison.Ordinal);
        File.WriteAllText(log, string.Join('\n', lines) + "\n");
        var broken = await repository.BuildAsync("--verify-audit");
        broken.ExitCode.ShouldBe(1);
        broken.StandardError.ShouldContain("record 3 (line 3) was altered");
    }
}
