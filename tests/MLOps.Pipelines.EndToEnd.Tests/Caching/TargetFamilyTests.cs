namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>
/// A target family (Tally@North, Tally@South) and a component parameter (IScaleComponent.Scale) through ./build.sh:
/// instances run, record and re-run independently; the parameter resolves like any other and re-runs only its reader.
/// </summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class TargetFamilyTests(CompiledTestBuild build)
{
    TestRepository NewRepository()
    {
        var repository = build.NewRepository();
        repository.WriteFile("data/regions/North.txt", "a\nb\n");
        repository.WriteFile("data/regions/South.txt", "c\n");
        return repository;
    }

    [Fact]
    public async Task The_family_runs_per_instance_and_an_edit_to_one_key_reruns_only_that_instance()
    {
        var repository = NewRepository();
        (await repository.BuildAsync("Digest")).ShouldSucceedWith("Succeeded", "Tally@North", "Tally@South", "Digest");
        repository.TakeExecutions().ShouldBe(["Digest", "Tally@North", "Tally@South"]);
        repository.ReadFile("out/digest.txt").ShouldBe("North 2\nSouth 1\n");
        var lockText = repository.LockFileText!;
        lockText.ShouldContain("\"Tally@North\": {");
        lockText.ShouldContain("\"Tally@South\": {");

        repository.WriteFile("data/regions/South.txt", "c\nd\ne\n");
        var result = await repository.BuildAsync("Digest");
        result.ShouldSucceedWith("Succeeded", "Tally@South", "Digest");
        result.ShouldSucceedWith("UpToDate", "Tally@North");
        repository.TakeExecutions().ShouldBe(["Digest", "Tally@South"]);
        repository.ReadFile("out/digest.txt").ShouldBe("North 2\nSouth 3\n");

        (await repository.BuildAsync("Tally@North --force")).ShouldSucceedWith("Succeeded", "Tally@North");
        repository.TakeExecutions().ShouldBe(["Tally@North"]);

        var unknown = await repository.BuildAsync("Tally@East");
        unknown.ExitCode.ShouldBe(2);
        unknown.StandardError.Trim().ShouldStartWith("error: Unknown target 'Tally@East'. Did you mean Tally@");

        var help = await repository.BuildAsync("--help");
        help.StandardOutput.ShouldMatch(@"Tally@North\s+Count the lines of one region");
        help.StandardOutput.ShouldContain("Digest");
        help.StandardOutput.ShouldContain("→ Tally@North, Tally@South");
        help.StandardOutput.ShouldMatch(@"--scale <int>\s+Multiplier the Scaled target applies \(default: 3; env SCALE\)");
    }

    [Fact]
    public async Task A_component_parameter_resolves_from_every_source_and_reruns_only_its_reader()
    {
        var repository = NewRepository();
        (await repository.BuildAsync("Scaled Upper")).ShouldSucceedWith("Succeeded", "Scaled", "Upper");
        repository.TakeExecutions().ShouldBe(["Scaled", "Upper"]);
        repository.ReadFile("out/scaled.txt").ShouldBe("39"); // "numbers 1 2 3" is 13 characters, times 3

        var result = await repository.BuildAsync("Scaled Upper --scale 2");
        result.ShouldSucceedWith("Succeeded", "Scaled");
        result.ShouldSucceedWith("UpToDate", "Upper");
        result.StandardOutput.ShouldContain("parameter Scale: 3 → 2");
        repository.ReadFile("out/scaled.txt").ShouldBe("26");

        repository.WriteFile(".nuke/parameters.json", "{ \"Scale\": 4 }");
        (await repository.BuildAsync("Scaled")).ShouldSucceedWith("Succeeded", "Scaled");
        repository.ReadFile("out/scaled.txt").ShouldBe("52");

        repository.WriteFile(".nuke/parameters.json", "{}");
        (await repository.BuildAsync("Scaled", new Dictionary<string, string?> { ["SCALE"] = "2" })).ShouldSucceedWith("Restored", "Scaled");
        repository.ReadFile("out/scaled.txt").ShouldBe("26");
        repository.TakeExecutions().ShouldBe(["Scaled", "Scaled"]); // --scale 2 and Scale 4 ran; the environment's 2 was restored
        repository.LockFileText!.ShouldContain("\"Scale\": \"2\"");
    }
}
