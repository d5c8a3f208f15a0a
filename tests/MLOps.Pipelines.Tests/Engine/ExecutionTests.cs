#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class ExecutionTests
{
    /// <summary>Two targets that can only both pass the barrier when they run at the same time.</summary>
    sealed class ParallelBuild : LoggingBuild
    {
        static readonly Barrier s_barrier = new(2);
        static int s_running;
        static int s_maxRunning;

        public static int MaxRunning => s_maxRunning;
        public static void Reset() => s_maxRunning = 0;

        Target Left => _ => _.Executes(() => Meet(nameof(Left)));
        Target Right => _ => _.Executes(() => Meet(nameof(Right)));
        Target Both => _ => _.DependsOn(Left, Right).Executes(() => Record(nameof(Both)));
        Target SlowLeft => _ => _.Executes(() => Count(nameof(SlowLeft)));
        Target SlowRight => _ => _.Executes(() => Count(nameof(SlowRight)));
        Target Sequential => _ => _.DependsOn(SlowLeft, SlowRight);

        void Meet(string name)
        {
            if (!s_barrier.SignalAndWait(TimeSpan.FromSeconds(20))) throw new TimeoutException($"{name} ran alone");
            Record(name);
        }

        void Count(string name)
        {
            var now = Interlocked.Increment(ref s_running);
            InterlockedMax(ref s_maxRunning, now);
            Thread.Sleep(100);
            Interlocked.Decrement(ref s_running);
            Record(name);
        }

        static void InterlockedMax(ref int target, int value)
        {
            for (var seen = target; value > seen; seen = target)
                if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }

    [Fact]
    public void Independent_targets_overlap_in_time_up_to_the_job_count()
    {
        using var run = new BuildRun().Run<ParallelBuild>("Both --jobs 2");
        run.ExitCode.ShouldBe(0, run.Output);
        run.Log.Last().ShouldBe("Both");
    }

    [Fact]
    public void One_job_never_runs_two_targets_at_once()
    {
        ParallelBuild.Reset();
        using var run = new BuildRun().Run<ParallelBuild>("Sequential --jobs 1");
        run.ExitCode.ShouldBe(0, run.Output);
        ParallelBuild.MaxRunning.ShouldBe(1);
    }

    sealed class FailingBuild : LoggingBuild
    {
        Target Prepare => _ => _.Executes(() => Record(nameof(Prepare)));
        Target Train => _ => _.DependsOn(Prepare).Executes(() => { Record(nameof(Train)); throw new InvalidOperationException("the model did not converge\nsecond line"); });
        Target TrainTolerant => _ => _.DependsOn(Prepare).ProceedAfterFailure().Executes(() => throw new InvalidOperationException("tolerated"));
        Target Evaluate => _ => _.DependsOn(Train).Executes(() => Record(nameof(Evaluate)));
        Target Lint => _ => _.After(Train, TrainTolerant).Executes(() => Record(nameof(Lint)));
        Target Cleanup => _ => _.After(Evaluate, Lint).AssuredAfterFailure().Executes(() => Record(nameof(Cleanup)));
        Target All => _ => _.DependsOn(Evaluate, Lint, Cleanup);
        Target Tolerant => _ => _.DependsOn(TrainTolerant, Lint);
    }

    [Fact]
    public void A_failure_stops_dependants_and_the_build_but_assured_targets_still_run()
    {
        using var run = new BuildRun().Run<FailingBuild>("All --jobs 1");
        run.ExitCode.ShouldBe(1);
        run.Log.ShouldBe(["Prepare", "Train", "Cleanup"]);
        run.Output.ShouldContain("Evaluate");
        run.Output.ShouldMatch(@"Evaluate\s+NotRun\s+Train did not succeed");
        run.Output.ShouldMatch(@"Lint\s+NotRun\s+an earlier target failed");
        run.Output.ShouldMatch(@"Train\s+Failed\s+[\d.]+ s\s+InvalidOperationException: the model did not converge");
        // The message in full, once, under the target's name; no stack trace frames.
        run.Output.ShouldContain("✖ Train failed after");
        run.Output.Split("second line").Length.ShouldBe(2);
        run.Output.ShouldNotContain("   at ");
        run.Output.ShouldContain("Build failed: Train failed.");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_of_a_failure()
    {
        using var run = new BuildRun().Run<FailingBuild>("All --jobs 1 --verbosity verbose");
        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("System.InvalidOperationException: the model did not converge");
        run.Output.ShouldContain("   at ");
    }

    sealed class BuggyBuild : LoggingBuild
    {
        Target Train => _ => _.Executes(() => Record(new Dictionary<string, string>()["missing"]));
    }

    [Fact]
    public void A_defect_keeps_its_exception_type_and_points_at_verbose()
    {
        using var run = new BuildRun().Run<BuggyBuild>("Train");
        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("KeyNotFoundException: The given key 'missing' was not present in the dictionary. (run with --verbosity verbose for the stack trace)");
        run.Output.ShouldNotContain("   at ");
    }

    [Fact]
    public void ProceedAfterFailure_lets_targets_that_do_not_depend_on_it_run()
    {
        using var run = new BuildRun().Run<FailingBuild>("Tolerant --jobs 1");
        run.ExitCode.ShouldBe(1);
        run.Log.ShouldBe(["Prepare", "Lint"]);
        run.Output.ShouldMatch(@"TrainTolerant\s+Failed");
        run.Output.ShouldMatch(@"Tolerant\s+NotRun\s+TrainTolerant did not succeed");
    }

    sealed class SkippingBuild : LoggingBuild
    {
        [Parameter] readonly bool Publish;
        [Parameter] readonly string? Token;
        Target Prepare => _ => _.Executes(() => Record(nameof(Prepare)));
        Target Train => _ => _.DependsOn(Prepare).Executes(() => Record(nameof(Train)));
        Target Package => _ => _.DependsOn(Train).OnlyWhenStatic(() => Publish).Executes(() => Record(nameof(Package)));
        Target Deploy => _ => _.OnlyWhenStatic(() => Token != null, "no --token given").Executes(() => Record(nameof(Deploy)));
        Target Check => _ => _.OnlyWhenDynamic(() => File.Exists(RootDirectory / "ready")).Executes(() => Record(nameof(Check)));
        Target Push => _ => _.DependsOn(Check).Requires(() => Token).Executes(() => Record(nameof(Push)));
        Target All => _ => _.DependsOn(Package, Check);
    }

    [Fact]
    public void A_false_static_condition_skips_the_target_and_what_only_it_needs_with_the_condition_text()
    {
        using var run = new BuildRun().Run<SkippingBuild>("All --jobs 1");
        run.ExitCode.ShouldBe(0, run.Output);
        run.Log.ShouldBeEmpty();
        run.Output.ShouldMatch(@"Package\s+Skipped\s+Publish is false \(set it with --publish\)");
        run.Output.ShouldMatch(@"Train\s+Skipped\s+only needed by skipped Package");
        run.Output.ShouldMatch(@"Prepare\s+Skipped\s+only needed by skipped Train");
        run.Output.ShouldMatch(@"Check\s+Skipped\s+File.Exists\(RootDirectory / ""ready""\) is false");
    }

    [Fact]
    public void A_condition_with_a_reason_is_reported_by_its_reason()
    {
        using var run = new BuildRun().Run<SkippingBuild>("Deploy");
        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldContain("○ Deploy Skipped: no --token given");
        run.Output.ShouldNotContain("=>");
    }

    [Fact]
    public void Skip_without_names_skips_all_but_the_invoked_and_with_names_only_those()
    {
        using (var run = new BuildRun().Run<SkippingBuild>("Train --skip"))
        {
            run.Log.ShouldBe(["Train"]);
            run.Output.ShouldMatch(@"Prepare\s+Skipped\s+--skip");
        }
        using (var named = new BuildRun().Run<SkippingBuild>("Package --publish --skip Prepare"))
            named.Log.ShouldBe(["Train", "Package"]);
    }

    [Fact]
    public void A_failed_requirement_stops_the_build_before_any_target_runs()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "ready", "");
        run.Run<SkippingBuild>("Push");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Target 'Push' requires () => Token is set. Pass --token <value>");
        run.Log.ShouldBeEmpty();
        run.Run<SkippingBuild>("Push --token abc");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Log.ShouldBe(["Check", "Push"]);
    }

    sealed class AsyncBuild : LoggingBuild
    {
        Target First => _ => _.Executes(async () => { await Task.Delay(10); Record(nameof(First)); });
        Target Second => _ => _.DependsOn(First).Executes(async cancellationToken => { await Task.Delay(10, cancellationToken); Record(nameof(Second)); });
        Target Both => _ => _.DependsOn(Second).Executes(() => Record("sync")).Executes(async () => { await Task.Yield(); Record("async"); });
    }

    [Fact]
    public void Sync_and_async_bodies_run_in_declaration_order()
    {
        using var run = new BuildRun().Run<AsyncBuild>("Both");
        run.ExitCode.ShouldBe(0, run.Output);
        run.Log.ShouldBe(["First", "Second", "sync", "async"]);
        run.Output.ShouldContain("▶ First");
        run.Output.ShouldContain("✔ First Succeeded in");
        run.Output.ShouldContain("Build succeeded");
    }
}
