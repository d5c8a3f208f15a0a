using MLOps.Pipelines.Internal.Execution;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class StepProgressTests
{
    sealed class CountingBuild : PipelineBuild
    {
        Target Count => _ => _.Executes(() =>
        {
            StepProgress.Report("fitting 3 trees");
            for (var tree = 1; tree <= 3; tree++) StepProgress.Report("trees", tree, 3);
            StepProgress.Report("rows", 1_200_000, 0);
        });
    }

    [Fact]
    public void Plain_lines_wait_an_interval_then_repeat_at_most_once_per_interval_and_close_the_step()
    {
        var lines = new List<string>();
        var now = TimeSpan.Zero;
        var sink = new PlainProgressLines(lines.Add, TimeSpan.FromSeconds(10), () => now);

        foreach (var (seconds, done) in new[] { (0, 1), (4, 2), (11, 3), (12, 4), (25, 5), (26, 6) })
        {
            now = TimeSpan.FromSeconds(seconds);
            sink.Report("Train@FlightDelays", new StepProgressUpdate("trees", done, 6));
        }

        lines.ShouldBe([
            "… Train@FlightDelays: trees 3/6 (50 %) after 11 s",
            "… Train@FlightDelays: trees 5/6 (83 %) after 25 s",
            "… Train@FlightDelays: trees 6/6 (100 %) after 26 s",
        ]);
    }

    [Fact]
    public void A_step_shorter_than_the_interval_prints_nothing_and_a_later_step_of_the_same_unit_starts_afresh()
    {
        var lines = new List<string>();
        var now = TimeSpan.Zero;
        var sink = new PlainProgressLines(lines.Add, TimeSpan.FromSeconds(10), () => now);

        sink.Report("Evaluate@P", new StepProgressUpdate("rows", 500, 1000));
        now = TimeSpan.FromSeconds(3);
        sink.Report("Evaluate@P", new StepProgressUpdate("rows", 1000, 1000));
        lines.ShouldBeEmpty();

        sink.Report("Evaluate@P", new StepProgressUpdate("rows", 10, 1000));
        now = TimeSpan.FromSeconds(14);
        sink.Report("Evaluate@P", new StepProgressUpdate("rows", 800, 1000));
        lines.ShouldBe(["… Evaluate@P: rows 800/1,000 (80 %) after 14 s"]);
    }

    [Fact]
    public void A_status_in_words_is_repeated_every_interval_while_the_target_runs_and_stops_when_it_ends()
    {
        var lines = new List<string>();
        var now = TimeSpan.Zero;
        var sink = new PlainProgressLines(lines.Add, TimeSpan.FromSeconds(10), () => now);
        var node = TargetGraph.Create(new CountingBuild()).Find("Count");

        sink.TargetStarted(node);
        now = TimeSpan.FromSeconds(2);
        sink.Report("Count", StepProgressUpdate.Status("loading data"));
        sink.Report("Count", StepProgressUpdate.Status("fitting 250 trees"));
        foreach (var seconds in new[] { 5, 12, 13, 22 })
        {
            now = TimeSpan.FromSeconds(seconds);
            sink.Tick();
        }
        sink.TargetFinished(new TargetResult("Count", TargetOutcome.Succeeded, now));
        now = TimeSpan.FromSeconds(40);
        sink.Tick();

        lines.ShouldBe(["… Count: fitting 250 trees after 12 s", "… Count: fitting 250 trees after 22 s"]);
    }

    [Fact]
    public void A_build_with_redirected_output_prints_plain_progress_lines_without_escape_codes()
    {
        var previous = Environment.GetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL");
        Environment.SetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL", "0");
        try
        {
            using var run = new BuildRun().Run<CountingBuild>("Count");
            run.ExitCode.ShouldBe(0, run.Output);
            var progress = run.Output.Split('\n').Where(l => l.StartsWith("… Count: ", StringComparison.Ordinal)).Select(l => l[..l.LastIndexOf(" after ", StringComparison.Ordinal)]);
            progress.ShouldBe(["… Count: fitting 3 trees", "… Count: trees 1/3 (33 %)", "… Count: trees 2/3 (67 %)", "… Count: trees 3/3 (100 %)", "… Count: rows 1,200,000"]);
            run.Output.ShouldNotContain("\u001b");

            using var quiet = new BuildRun().Run<CountingBuild>("Count --verbosity minimal");
            quiet.ExitCode.ShouldBe(0, quiet.Output);
            quiet.Output.ShouldNotContain("trees");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL", previous);
        }
    }

    [Fact]
    public void Outside_a_build_a_report_does_nothing()
    {
        Should.NotThrow(() => StepProgress.Report("rows", 1, 2));
        StepProgress.Sink.ShouldBeNull();
    }

    [Fact]
    public void The_terminal_status_line_shows_the_running_targets_step()
    {
        var live = new LiveProgress(total: 2);
        live.TargetStarted(TargetGraph.Create(new CountingBuild()).Find("Count"));
        live.Report("Count", new StepProgressUpdate("trees", 40, 250));
        live.Render().ShouldMatch(@"running Count \d+\.\d s \(trees 40/250 \(16 %\)\)$");
    }
}
