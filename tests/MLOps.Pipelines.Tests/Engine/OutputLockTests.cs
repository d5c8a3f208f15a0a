using System.Diagnostics;

namespace MLOps.Pipelines.Tests.Engine;

/// <summary>
/// Another build reading a target's outputs (a shared flock held by a real process, util-linux flock) keeps a forced
/// re-run of that target waiting; another build rewriting them (an exclusive flock) keeps its readers waiting.
/// </summary>
[Collection(nameof(InProcessBuilds))]
public class OutputLockTests
{
    sealed class ModelBuild : LoggingBuild
    {
        AbsolutePath Model => RootDirectory / "out" / "model.txt";
        AbsolutePath Metrics => RootDirectory / "out" / "metrics.txt";

        public Target Train => _ => _.Outputs(Model).Executes(() =>
        {
            Record(nameof(Train));
            Directory.CreateDirectory(RootDirectory / "out");
            File.WriteAllText(Model, "model");
        });

        public Target Evaluate => _ => _.DependsOn(Train).Inputs(Model).Outputs(Metrics).Executes(() =>
        {
            Record(nameof(Evaluate));
            File.WriteAllText(Metrics, File.ReadAllText(Model) + " evaluated");
        });
    }

    static Process Hold(string lockPath, bool shared) =>
        Process.Start(new ProcessStartInfo("bash",
            ["-c", $"exec 9>>\"$1\" && flock {(shared ? "--shared" : "--exclusive")} 9 && echo held && exec sleep 60", "hold", lockPath])
        { RedirectStandardOutput = true })!;

    static void Held(Process holder) => holder.StandardOutput.ReadLine().ShouldBe("held");

    [Fact]
    public async Task A_forced_rerun_waits_while_another_build_reads_the_outputs()
    {
        using var run = new BuildRun().Run<ModelBuild>("Evaluate");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        using var reader = Hold(run.Root / ".nuke" / "temp" / "locks" / "Train.outputs.lock", shared: true);
        try
        {
            Held(reader);
            var rerun = Task.Run(() => run.Run<ModelBuild>("Train --force"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            rerun.IsCompleted.ShouldBeFalse("Train --force rewrote outputs another build was reading");
            run.Log.ShouldBe(["Train", "Evaluate"]);

            reader.Kill();
            await rerun.WaitAsync(TimeSpan.FromSeconds(60));
            run.ExitCode.ShouldBe(0, run.Output + run.Error);
            run.Log.ShouldBe(["Train", "Evaluate", "Train"]);
            run.Output.ShouldContain("Train: another build is reading its outputs; waiting");
        }
        finally
        {
            if (!reader.HasExited) reader.Kill();
        }
    }

    [Fact]
    public async Task A_reader_waits_while_another_build_rewrites_its_input_and_readers_share()
    {
        using var run = new BuildRun().Run<ModelBuild>("Evaluate");
        var lockPath = run.Root / ".nuke" / "temp" / "locks" / "Train.outputs.lock";

        // Another reader does not hold this one up.
        using (var otherReader = Hold(lockPath, shared: true))
        {
            Held(otherReader);
            run.Run<ModelBuild>("Evaluate --force Evaluate");
            run.ExitCode.ShouldBe(0, run.Output + run.Error);
            run.Log.ShouldBe(["Train", "Evaluate", "Evaluate"]);
            otherReader.Kill();
        }

        using var writer = Hold(lockPath, shared: false);
        try
        {
            Held(writer);
            var evaluate = Task.Run(() => run.Run<ModelBuild>("Evaluate --force Evaluate"));
            await Task.Delay(TimeSpan.FromSeconds(2));
            evaluate.IsCompleted.ShouldBeFalse("Evaluate read outputs another build was rewriting");
            writer.Kill();
            await evaluate.WaitAsync(TimeSpan.FromSeconds(60));
            run.ExitCode.ShouldBe(0, run.Output + run.Error);
            run.Output.ShouldContain("Evaluate: another build is rewriting Train's outputs; waiting");
        }
        finally
        {
            if (!writer.HasExited) writer.Kill();
        }
    }
}
