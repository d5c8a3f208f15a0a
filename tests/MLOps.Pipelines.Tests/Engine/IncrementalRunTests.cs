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

        public Target Label_ => _ => _.DependsOn(Double).Inputs(Doubled).Outputs(Labelled).Executes(() =>
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
        run.Run<CachedBuild>("--force", x => x.Label_);
        run.Log.Count.ShouldBe(5); // --force alone: every target
    }

    [Fact]
    public void Force_with_a_target_forces_that_target_alone_not_its_upstream_chain()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "3");
        run.Run<CachedBuild>("Label_");
        run.Log.ShouldBe(["Double", "Label_"]);

        run.Run<CachedBuild>("Label_ --force");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Log.ShouldBe(["Double", "Label_", "Label_"]);
        run.Output.ShouldMatch(@"Double\s+UpToDate");

        run.Run<CachedBuild>("--force Label_", x => x.Label_);
        run.Log.ShouldBe(["Double", "Label_", "Label_", "Label_"]);
        run.Output.ShouldMatch(@"Double\s+UpToDate");
    }

    /// <summary>Register's shape: a receipt as the declared output, the real effect in a registry file beside it.</summary>
    sealed class RegisteringBuild : LoggingBuild
    {
        [Parameter] readonly string Model = "m1";
        AbsolutePath Receipt => RootDirectory / "out" / "receipt.txt";
        AbsolutePath Registry => RootDirectory / "registry.txt";

        public Target Register => _ => _
            .Outputs(Receipt)
            .Verifies(() => File.Exists(Registry) && File.ReadAllLines(Registry).Contains(File.ReadAllText(Receipt)), "the registry holds the receipt's model")
            .Executes(() =>
            {
                Record(nameof(Register));
                var known = File.Exists(Registry) ? File.ReadAllLines(Registry) : [];
                if (!known.Contains(Model)) File.AppendAllLines(Registry, [Model]);
                Directory.CreateDirectory(RootDirectory / "out");
                File.WriteAllText(Receipt, Model);
            });

        public Target Unverifiable => _ => _
            .Outputs(RootDirectory / "out" / "u.txt")
            .Verifies(() => throw new InvalidDataException("registry.txt is not readable"), "the registry is readable")
            .Executes(() =>
            {
                Record(nameof(Unverifiable));
                Directory.CreateDirectory(RootDirectory / "out");
                File.WriteAllText(RootDirectory / "out" / "u.txt", "u");
            });
    }

    [Fact]
    public void A_target_whose_effect_is_not_verified_present_runs_again_instead_of_up_to_date_or_restored()
    {
        using var run = new BuildRun();
        run.Run<RegisteringBuild>("Register");
        run.Log.ShouldBe(["Register"]);
        run.Run<RegisteringBuild>("Register");
        run.Output.ShouldMatch(@"Register\s+UpToDate");

        File.Delete(run.Root / "registry.txt");
        run.Run<RegisteringBuild>("Register --dry-run");
        run.Output.ShouldContain("▶ Register: would run: up to date, but the registry holds the receipt's model does not hold");
        run.Run<RegisteringBuild>("Register");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Log.ShouldBe(["Register", "Register"]);
        run.Output.ShouldContain("Register: up to date, but the registry holds the receipt's model does not hold; running it");
        File.ReadAllLines(run.Root / "registry.txt").ShouldBe(["m1"]);

        // A seen fingerprint is restored; the restored receipt names m1, which the registry lost again: run, not Restored.
        run.Run<RegisteringBuild>("Register --model m2");
        File.Delete(run.Root / "registry.txt");
        run.Run<RegisteringBuild>("Register --model m1");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Output.ShouldContain("Register: restored, but the registry holds the receipt's model does not hold; running it");
        run.Output.ShouldMatch(@"Register\s+Succeeded");
        File.ReadAllLines(run.Root / "registry.txt").ShouldBe(["m1"]);

        // With the effect present, a restore stays a restore.
        run.Run<RegisteringBuild>("Register --model m2");
        run.Run<RegisteringBuild>("Register --model m1");
        run.Output.ShouldMatch(@"Register\s+Restored");
        run.Log.Count.ShouldBe(5);
    }

    [Fact]
    public void A_verification_that_throws_counts_as_not_holding()
    {
        using var run = new BuildRun();
        run.Run<RegisteringBuild>("Unverifiable");
        run.Run<RegisteringBuild>("Unverifiable");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Log.ShouldBe(["Unverifiable", "Unverifiable"]);
        run.Output.ShouldContain("the registry is readable could not be checked (registry.txt is not readable)");
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
