#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
namespace MLOps.Pipelines.Tests.Engine;

/// <summary>Values of the right type that a parameter still refuses: NaN and ∞, a declared range, a missing path; and profile names.</summary>
[Collection(nameof(InProcessBuilds))]
public class ParameterConstraintTests
{
    sealed class GateBuild : LoggingBuild
    {
        [Parameter("How much worse than the champion a model may be", Min = 0, Max = 1)] readonly double ChampionTolerance = 0.01;
        [Parameter("Share of rows to train on", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)] readonly double TrainFraction = 0.8;
        [Parameter("Trees", Min = 1)] readonly int Trees = 10;
        [Parameter("A plain number")] readonly double Scale = 1;
        [Parameter("A number where infinity means no limit", AllowNonFinite = true)] readonly double Limit = double.PositiveInfinity;
        [Parameter("Weights", Min = 0)] readonly double[] Weights = [];
        [Parameter("Raw data", MustExist = true)] readonly AbsolutePath? RawData;

        Target Gate => _ => _.Executes(() => Record(FormattableString.Invariant(
            $"tolerance={ChampionTolerance} fraction={TrainFraction} trees={Trees} scale={Scale} limit={Limit} weights={Weights.Length} raw={RawData?.Name}")));
    }

    [Theory]
    [InlineData("--champion-tolerance NaN", "Parameter 'ChampionTolerance' from the command line (--champion-tolerance): 'NaN' is not a finite number; expected a number in [0, 1].")]
    [InlineData("--champion-tolerance -0.05", "Parameter 'ChampionTolerance' from the command line (--champion-tolerance): '-0.05' is out of range; expected a number in [0, 1].")]
    [InlineData("--champion-tolerance Infinity", "'Infinity' is not a finite number")]
    [InlineData("--train-fraction 1", "Parameter 'TrainFraction' from the command line (--train-fraction): '1' is out of range; expected a number in (0, 1).")]
    [InlineData("--train-fraction 0", "expected a number in (0, 1)")]
    [InlineData("--trees 0", "Parameter 'Trees' from the command line (--trees): '0' is out of range; expected a number ≥ 1.")]
    [InlineData("--scale NaN", "Parameter 'Scale' from the command line (--scale): 'NaN' is not a finite number; expected a finite number.")]
    [InlineData("--scale -Infinity", "'-Infinity' is not a finite number")]
    [InlineData("--weights 1,-2", "Parameter 'Weights' from the command line (--weights): '1,-2' is out of range; expected a number ≥ 0.")]
    [InlineData("--raw-data data/missing.csv", "Parameter 'RawData' from the command line (--raw-data): 'data/missing.csv' does not exist. Give an existing file or folder with --raw-data <path>.")]
    [InlineData("--profile ../x", "--profile ../x: a profile is a name such as ci or gpu-large")]
    [InlineData("--profile a/../../b", "it cannot be a path")]
    public void A_refused_value_is_a_usage_error_naming_parameter_value_source_and_what_is_allowed(string args, string message)
    {
        using var run = new BuildRun().Run<GateBuild>("Gate " + args);
        run.ExitCode.ShouldBe(2, run.Output + run.Error);
        run.Error.Trim().ShouldStartWith("error: ");
        run.Error.ShouldContain(message);
        run.Error.Trim().Split('\n').Length.ShouldBe(1);
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void Values_from_files_and_the_environment_are_checked_and_name_their_source()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "ChampionTolerance": "NaN" }""");
        run.Run<GateBuild>("Gate");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Parameter 'ChampionTolerance' from .nuke/parameters.json: 'NaN' is not a finite number");
    }

    [Fact]
    public void Allowed_values_pass_including_the_bounds_and_an_explicitly_allowed_infinity()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "raw.csv", "a");
        run.Run<GateBuild>("Gate --champion-tolerance 0 --train-fraction 0.5 --trees 1 --scale -3 --weights 0,2 --raw-data raw.csv");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Log.ShouldBe(["tolerance=0 fraction=0.5 trees=1 scale=-3 limit=Infinity weights=2 raw=raw.csv"]);
        run.Run<GateBuild>("Gate --champion-tolerance 1 --limit -Infinity");
        run.ExitCode.ShouldBe(0, run.Error);
    }

    [Fact]
    public void Help_shows_the_allowed_range()
    {
        using var run = new BuildRun().Run<GateBuild>("--help");
        run.Output.ShouldMatch(@"--champion-tolerance <double>\s+How much worse than the champion a model may be \(default: 0.01; allowed: in \[0, 1\]; env CHAMPION_TOLERANCE\)");
        run.Output.ShouldContain("allowed: in (0, 1)");
    }
}
