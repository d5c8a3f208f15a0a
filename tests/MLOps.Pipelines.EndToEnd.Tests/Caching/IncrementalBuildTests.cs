using static MLOps.Pipelines.EndToEnd.Tests.Caching.CompiledTestBuild;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>What runs after an edit to data or parameters: exactly the targets whose fingerprint changed.</summary>
[Collection(IncrementalBuildCollection.Name)]
public sealed class IncrementalBuildTests(CompiledTestBuild build)
{
    [Fact]
    public async Task A_second_build_with_nothing_changed_runs_nothing()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ShouldSucceedWith("Succeeded", PipelineTargets);
        repository.TakeExecutions().ShouldBe(PipelineTargets.Order(StringComparer.Ordinal));
        var lockText = repository.LockFileText;

        (await repository.BuildAsync(Pipeline)).ShouldSucceedWith("UpToDate", PipelineTargets);
        repository.TakeExecutions().ShouldBeEmpty();
        repository.LockFileText.ShouldBe(lockText);
    }

    [Fact]
    public async Task Editing_one_input_byte_runs_exactly_the_targets_that_depend_on_it()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();

        FlipLastDigit(repository.FullPath("data/b.txt"));
        var result = await repository.BuildAsync(Pipeline);
        result.ShouldSucceedWith("Succeeded", "Count", "Combine");
        result.ShouldSucceedWith("UpToDate", "Upper", "Normalize", "Summarize", "Index");
        repository.TakeExecutions().ShouldBe(["Combine", "Count"]);
        repository.ReadFile("out/combined.txt").ShouldContain(repository.ReadFile("out/count.txt"));

        // A file inside a declared input folder counts as well.
        repository.WriteFile("data/docs/two.txt", "second, revised\n");
        result = await repository.BuildAsync(Pipeline);
        result.ShouldSucceedWith("Succeeded", "Index");
        result.ShouldSucceedWith("UpToDate", "Upper", "Count", "Combine", "Normalize", "Summarize");
        repository.TakeExecutions().ShouldBe(["Index"]);
        repository.ReadFile("out/index.txt").ShouldContain("two.txt 16");
    }

    [Fact]
    public async Task Changing_a_parameter_runs_only_the_targets_that_read_it_and_an_earlier_value_is_restored()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();

        // Label is read by Combine alone, a target nothing depends on.
        var result = await repository.BuildAsync(Pipeline + " --label fancy");
        result.ShouldSucceedWith("Succeeded", "Combine");
        result.ShouldSucceedWith("UpToDate", "Upper", "Count", "Normalize", "Summarize", "Index");
        repository.TakeExecutions().ShouldBe(["Combine"]);
        repository.ReadFile("out/combined.txt").ShouldStartWith("fancy\n");

        // Factor is read by Count; Combine follows because Count's output (its input) changed.
        result = await repository.BuildAsync(Pipeline + " --label fancy --factor 2");
        result.ShouldSucceedWith("Succeeded", "Count", "Combine");
        result.ShouldSucceedWith("UpToDate", "Upper", "Normalize", "Summarize", "Index");
        repository.TakeExecutions().ShouldBe(["Combine", "Count"]);

        // Back to values seen before: the content store gives the outputs back without running anything.
        result = await repository.BuildAsync(Pipeline + " --label plain --factor 1");
        result.ShouldSucceedWith("Restored", "Count", "Combine");
        result.ShouldSucceedWith("UpToDate", "Upper", "Normalize", "Summarize", "Index");
        repository.TakeExecutions().ShouldBeEmpty();
        repository.ReadFile("out/combined.txt").ShouldStartWith("plain\n");
    }

    [Fact]
    public async Task An_upstream_that_reproduces_its_output_byte_for_byte_leaves_its_dependants_up_to_date()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();
        var combined = repository.ReadFile("out/combined.txt");

        // Upper upper-cases and Normalize lower-cases: a change of case changes their input but not their output.
        repository.WriteFile("data/a.txt", "HELLO World\n");
        var result = await repository.BuildAsync(Pipeline);
        result.ShouldSucceedWith("Succeeded", "Upper", "Normalize");
        result.ShouldSucceedWith("UpToDate", "Count", "Combine", "Summarize", "Index");
        repository.TakeExecutions().ShouldBe(["Normalize", "Upper"]);
        repository.ReadFile("out/combined.txt").ShouldBe(combined);
    }

    [Fact]
    public async Task Dry_run_names_the_changed_input_file_and_parameter_and_runs_nothing()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();
        var lockText = repository.LockFileText;

        repository.WriteFile("data/a.txt", "Goodbye world\n");
        repository.WriteFile("data/docs/two.txt", "second, revised\n");
        // Targets go before the options: the command line takes words after an option as that option's values.
        var result = await repository.BuildAsync(Pipeline + " --label fancy --dry-run");
        result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));
        var output = result.StandardOutput;
        output.ShouldContain("▶ Upper: would run: input data/a.txt changed");
        output.ShouldContain("▶ Normalize: would run: input data/a.txt changed");
        output.ShouldContain("▶ Index: would run: input data/docs changed (1 modified: data/docs/two.txt)");
        output.ShouldContain("✔ Count: up to date");
        output.ShouldContain("▶ Summarize: would run unless Normalize reproduces its outputs byte for byte");

        // With its upstream unchanged, Combine's own reason shows: the parameter with its old and new value.
        repository.WriteFile("data/a.txt", "Hello world\n");
        result = await repository.BuildAsync("Combine --label fancy --dry-run");
        result.StandardOutput.ShouldContain("▶ Combine: would run: parameter Label: plain → fancy");
        result.StandardOutput.ShouldContain("✔ Upper: up to date");

        repository.TakeExecutions().ShouldBeEmpty();
        repository.LockFileText.ShouldBe(lockText);
        repository.ReadFile("out/combined.txt").ShouldStartWith("plain\n");
    }

    [Fact]
    public async Task Force_runs_the_named_target_and_its_byte_identical_output_leaves_the_rest_up_to_date()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync(Pipeline)).ExitCode.ShouldBe(0);
        repository.TakeExecutions();

        var result = await repository.BuildAsync("Combine --force Upper");
        result.ShouldSucceedWith("Succeeded", "Upper");
        result.ShouldSucceedWith("UpToDate", "Count", "Combine");
        repository.TakeExecutions().ShouldBe(["Upper"]);
    }

    [Fact]
    public async Task No_cache_neither_restores_from_nor_writes_to_the_content_store()
    {
        var repository = build.NewRepository();
        (await repository.BuildAsync("Upper")).ExitCode.ShouldBe(0);
        var store = StoreFiles(repository);
        store.ShouldNotBeEmpty();

        File.Delete(repository.FullPath("out/upper.txt"));
        (await repository.BuildAsync("Upper --no-cache")).ShouldSucceedWith("Succeeded", "Upper");
        repository.TakeExecutions().ShouldBe(["Upper", "Upper"]);

        repository.WriteFile("data/a.txt", "Something else\n");
        (await repository.BuildAsync("Upper --no-cache")).ShouldSucceedWith("Succeeded", "Upper");
        StoreFiles(repository).ShouldBe(store);
        // The lock file still records the run, so the next build finds it up to date.
        (await repository.BuildAsync("Upper")).ShouldSucceedWith("UpToDate", "Upper");
    }

    static List<string> StoreFiles(TestRepository repository) =>
        [.. Directory.EnumerateFiles(repository.FullPath(".nuke/cache"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Changes one byte: the last digit of the file, 3 → 4.</summary>
    static void FlipLastDigit(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var last = Array.FindLastIndex(bytes, b => char.IsAsciiDigit((char)b));
        bytes[last] = (byte)(bytes[last] == '9' ? '0' : bytes[last] + 1);
        File.WriteAllBytes(path, bytes);
    }
}
