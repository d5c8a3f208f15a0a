using static MLOps.Pipelines.EndToEnd.Tests.Caching.CompiledTestBuild;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>Edits to the build's own source, recompiled by build.sh: the code fingerprint sees what changed the IL, and only that.</summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class SourceEditTests(CompiledTestBuild build)
{
    const string BuildFile = "build/Build.cs";

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Editing_a_helper_runs_only_the_target_that_calls_it()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();
        var combined = repository.ReadFile("out/combined.txt");

        // Checksum is called by Count alone. The rewrite computes the same value (31·s = 32·s − s), so Count's output
        // is unchanged and nothing downstream of it runs either: what runs is due to the code change alone.
        repository.Edit(BuildFile, "foreach (var b in bytes) sum = (sum * 31) + b;", "foreach (var b in bytes) sum = (sum << 5) - sum + b;");

        var dryRun = await repository.BuildAsync(Pipeline + " --dry-run");
        dryRun.ExitCode.ShouldBe(0, BuildOutput.Describe(dryRun));
        dryRun.StandardError.ShouldContain("compiling the build");
        dryRun.StandardOutput.ShouldContain("▶ Count: would run: code changed");
        dryRun.StandardOutput.ShouldContain("✔ Upper: up to date");

        var result = await repository.BuildAsync(Pipeline);
        result.ShouldSucceedWith("Succeeded", "Count");
        result.ShouldSucceedWith("UpToDate", "Upper", "Combine", "Normalize", "Summarize", "Index");
        repository.TakeExecutions().ShouldBe(["Count"]);
        repository.ReadFile("out/combined.txt").ShouldBe(combined);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Whitespace_and_comment_edits_in_a_targets_source_run_nothing()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();
        var lockText = repository.LockFileText;

        // Inside Upper's body and before Combine: comments, blank lines, re-indentation (line numbers all shift).
        repository.Edit(BuildFile, "            Started(\"Upper\");\n",
            "            // Upper-cases a.txt.\n\n                Started(\"Upper\");   /* the log line */\n");
        repository.Edit(BuildFile, "    Target Combine => _ => _\n", "    /// <summary>Both upstream outputs in one file.</summary>\n\n\n    Target   Combine =>  _  =>  _\n");
        repository.Edit(BuildFile, "    static string Shout(string text) => text.ToUpperInvariant();", "    static string Shout(string text)\n        => text.ToUpperInvariant(); // used by Upper only");

        var result = await repository.BuildAsync(Pipeline);
        result.StandardError.ShouldContain("compiling the build");
        result.ShouldSucceedWith("UpToDate", PipelineTargets);
        repository.TakeExecutions().ShouldBeEmpty();
        repository.LockFileText.ShouldBe(lockText);
    }
}
