#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
namespace MLOps.Pipelines.Tests.Engine;

/// <summary>The runner's use of the incremental layer, in process: outcomes, --force, --no-cache, --prune-cache, metrics.</summary>
[Collection(nameof(InProcessBuilds))]
public class IncrementalRunTests
{
    sealed class CachedBuild : LoggingBuild
    {
        [Parameter] readonly int Factor = 2;
        [Parameter] readonly string Label = "x";
        AbsolutePath Input => RootDirectory / "input.txt";
        AbsolutePath Doubled => RootDirectory / "out" / "doubled.txt";
        AbsolutePath Labelled => RootDirectory / "out" / "labelled.txt";

        Target Double => _ => _.Inputs(Input).Outputs(Doubled).Executes(() =>
        {
            Record(nameof(Double));
            Directory.CreateDirectory(RootDirectory / "out");
            File.WriteAllText(Doubled, (int.Parse(File.ReadAllText(Input)) * Factor).ToString());
            TargetMetrics.Record("value", int.Parse(File.ReadAllText(Doubled)));
        });

        Target Label_ => _ => _.DependsOn(Double).Inputs(Doubled).Outputs(Labelled).Executes(() =>
        {
            Record(nameof(Label_));
            File.WriteAllText(Labelled, Label + File.ReadAllText(Doubled));
        });

        Target Fail => _ => _.DependsOn(Double).Inputs(Doubled).Outputs(Labelled).Executes(() =>
        {
            File.WriteAllText(Labelled, "partial");
            throw new InvalidOperationException("boom");
        });
    }

    [Fact]
    public void Up_to_date_targets_are_not_run_and_a_seen_fingerprint_is_restored()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "21");
        run.Run<CachedBuild>("Label_");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Log.ShouldBe(["Double", "Label_"]);
        File.ReadAllText(run.Root / "pipelines.lock").ShouldContain("\"value\": 42");

        run.Run<CachedBuild>("Label_");
        run.Output.ShouldMatch(@"Double\s+UpToDate");
        run.Output.ShouldMatch(@"Label_\s+UpToDate");
        run.Log.Count.ShouldBe(2);

        // Only the target whose code reads the parameter runs; its dependant is cut off when the output is the same.
        run.Run<CachedBuild>("Label_ --label y");
        run.Log.Count.ShouldBe(3);
        run.Log.Last().ShouldBe("Label_");
        run.Output.ShouldMatch(@"Double\s+UpToDate");

        // Back to the earlier value: restored from the store, not run.
        run.Run<CachedBuild>("Label_ --label x");
        run.Output.ShouldMatch(@"Label_\s+Restored\s+[\d.]+ s\s+from the local store");
        run.Log.Count.ShouldBe(3);
        File.ReadAllText(run.Root / "out" / "labelled.txt").ShouldBe("x42");
    }

    [Fact]
    public void Force_runs_regardless_and_no_cache_neither_reads_nor_writes_the_store()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "1");
        run.Run<CachedBuild>("Label_ --no-cache");
        Directory.Exists(run.Root / ".nuke" / "cache").ShouldBeFalse();
        run.Run<CachedBuild>("Label_ --force Double");
        run.Log.ShouldBe(["Double", "Label_", "Double"]);
        run.Output.ShouldMatch(@"Label_\s+UpToDate"); // byte-identical upstream output: early cutoff
        run.Run<CachedBuild>("Label_ --force");
        run.Log.Count.ShouldBe(5);
    }

    [Fact]
    public void A_failing_target_leaves_its_previous_outputs_and_lock_entry()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "5");
        run.Run<CachedBuild>("Label_");
        var lockBefore = File.ReadAllText(run.Root / "pipelines.lock");
        run.Run<CachedBuild>("Fail");
        run.ExitCode.ShouldBe(1);
        File.ReadAllText(run.Root / "out" / "labelled.txt").ShouldBe("x10");
        File.ReadAllText(run.Root / "pipelines.lock").ShouldBe(lockBefore);
    }

    [Fact]
    public void Dry_run_explains_a_changed_input_and_parameter()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "5");
        run.Run<CachedBuild>("Label_");
        File.WriteAllText(run.Root / "input.txt", "6");
        run.Run<CachedBuild>("Label_ --dry-run --factor 3");
        run.Output.ShouldContain("▶ Double: would run: parameter Factor: 2 → 3; input input.txt changed");
        run.Output.ShouldContain("▶ Label_: would run unless Double reproduces its outputs byte for byte");
        // A target's own reasons are named even when an upstream target changes too.
        run.Run<CachedBuild>("Label_ --dry-run --factor 3 --label z");
        run.Output.ShouldContain("▶ Label_: would run: parameter Label: x → z");
        run.Log.Count.ShouldBe(2);
    }

    [Fact]
    public void Prune_cache_keeps_what_the_lock_references()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "5");
        run.Run<CachedBuild>("Label_");
        run.Run<CachedBuild>("Label_ --label other");
        run.Run<CachedBuild>("--prune-cache 0KB");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldMatch(@"Pruned [1-9]\d* blobs");
        run.Run<CachedBuild>("Label_ --label other");
        run.Output.ShouldMatch(@"Label_\s+UpToDate");
        run.Run<CachedBuild>("--prune-cache soon");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("expected an age such as 30d or 12h, or a size such as 5GB");
    }
}
