using System.Diagnostics;

namespace MLOps.Pipelines.Tests.Engine;

/// <summary>The read-only view of pipelines.lock that libraries use: the working tree's, and HEAD's.</summary>
[Collection(nameof(InProcessBuilds))]
public class TargetRecordsTests
{
    sealed class MeasuringBuild : LoggingBuild
    {
        [Parameter] readonly int Factor = 2;
        AbsolutePath Input => RootDirectory / "input.txt";
        AbsolutePath Output => RootDirectory / "out" / "value.txt";

        Target Measure => _ => _.Inputs(Input).Outputs(Output).Executes(() =>
        {
            Directory.CreateDirectory(Output.Parent!);
            var value = int.Parse(File.ReadAllText(Input), System.Globalization.CultureInfo.InvariantCulture) * Factor;
            File.WriteAllText(Output, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            TargetMetrics.Record("value", value);
        });
    }

    static void Git(string root, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=test", "-c", "user.email=test@example.com" }.Concat(args)) start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEndAsync();
        git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        git.ExitCode.ShouldBe(0, error.Result);
    }

    [Fact]
    public void Records_of_the_working_tree_and_of_HEAD_give_metrics_parameters_and_hashes()
    {
        using var run = new BuildRun();
        TargetRecords.WorkingTree(run.Root).All.ShouldBeEmpty();
        TargetRecords.AtHead(run.Root).All.ShouldBeEmpty(); // not a git checkout

        File.WriteAllText(run.Root / "input.txt", "21");
        run.Run<MeasuringBuild>("Measure");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        Git(run.Root, "init", "-q");
        TargetRecords.AtHead(run.Root).All.ShouldBeEmpty(); // no commit yet
        Git(run.Root, "add", "pipelines.lock");
        Git(run.Root, "commit", "-q", "-m", "lock");

        run.Run<MeasuringBuild>("Measure --factor 3");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);

        var head = TargetRecords.AtHead(run.Root).Find("Measure").ShouldNotBeNull();
        var working = TargetRecords.WorkingTree(run.Root).Find("Measure").ShouldNotBeNull();
        head.Metrics["value"].ShouldBe(42);
        head.Parameters["Factor"].ShouldBe("2");
        working.Metrics["value"].ShouldBe(63);
        working.Parameters["Factor"].ShouldBe("3");
        working.Inputs.Single().Path.ShouldBe("input.txt");
        working.Inputs.Single().Hash.ShouldBe(head.Inputs.Single().Hash);
        working.Outputs.Single().Hash.ShouldNotBe(head.Outputs.Single().Hash);
        working.Family.ShouldBe("Measure");
        working.Key.ShouldBeNull();
        TargetRecords.AtHead(run.Root).Source.ShouldBe("HEAD:pipelines.lock");
        TargetRecords.WorkingTree(run.Root).Find("Nothing").ShouldBeNull();
    }

    [Fact]
    public void A_damaged_lock_file_names_itself_and_the_fix()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "pipelines.lock", "<<<<<<< HEAD\n");
        var error = Should.Throw<InvalidDataException>(() => TargetRecords.WorkingTree(run.Root));
        error.Message.ShouldContain("pipelines.lock: not valid JSON");
        error.Message.ShouldContain("Resolve the merge conflict");
    }
}
