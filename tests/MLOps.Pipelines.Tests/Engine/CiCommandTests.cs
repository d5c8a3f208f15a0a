using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class CiCommandTests
{
    [GitHubActions("ci", On = [CiTrigger.Push], OnPushBranches = ["main"], InvokedTargets = [nameof(Evaluate)])]
    [GitHubActions("nightly", OnCronSchedule = "0 3 * * *", InvokedTargets = [nameof(Evaluate)], DispatchInputs = [nameof(Trees)])]
    [GitLab(On = [CiTrigger.Push], OnPushBranches = ["main"], InvokedTargets = [nameof(Evaluate)])]
    sealed class CiBuild : LoggingBuild
    {
        [Parameter("Boosting rounds")] readonly int Trees = 200;
        Target Prepare => _ => _.Outputs(RootDirectory / "prepared").Executes(() => Record(nameof(Prepare)));
        Target Train => _ => _.DependsOn(Prepare).Outputs(RootDirectory / "model.zip").Executes(() => Record($"{Trees}"));
        public Target Evaluate => _ => _.DependsOn(Train).Executes(() => Record(nameof(Evaluate)));
        Target CheckCi => _ => _.Executes(CheckCiConfiguration);
    }

    [Fact]
    public void Generate_ci_writes_one_job_per_target_wired_by_needs_and_check_ci_fails_on_drift()
    {
        using var run = new BuildRun().Run<CiBuild>("--generate-ci");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("wrote .github/workflows/ci.yml");
        run.Output.ShouldContain("wrote .gitlab-ci.yml");
        run.Output.ShouldContain("0 3 * * *"); // the schedule and its next occurrences
        var ci = File.ReadAllText(run.Root / ".github" / "workflows" / "ci.yml");
        ci.ShouldMatch(@"\./build\.sh Train --job-state-(in|out) ");
        ci.ShouldMatch(@"evaluate:\n(.*\n)*?\s+needs:\n\s+- train");
        ci.ShouldContain("prepared/"); // a directory output is uploaded as an artifact
        File.ReadAllText(run.Root / ".github" / "workflows" / "nightly.yml").ShouldContain("trees:");

        run.Run<CiBuild>("--check-ci");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Run<CiBuild>("CheckCi");
        run.ExitCode.ShouldBe(0, run.Output);

        File.AppendAllText(run.Root / ".gitlab-ci.yml", "# edited by hand\n");
        run.Run<CiBuild>("--check-ci");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain(".gitlab-ci.yml: differs from what the build generates");
        run.Error.ShouldContain("Run `./build.sh --generate-ci` and commit the result.");
        run.Run<CiBuild>("CheckCi");
        run.ExitCode.ShouldBe(1);
        run.Output.ShouldMatch(@"CheckCi\s+Failed");
    }
}
