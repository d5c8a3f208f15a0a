#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class ParameterTests
{
    public enum Trainer { LightGbm, FastTree, Sdca }

    sealed class ParameterBuild : LoggingBuild
    {
        [Parameter("Learning rate")] readonly double LearningRate = 0.1;
        [Parameter("Boosting rounds")] int Trees { get; } = 100;
        [Parameter] readonly Trainer Trainer = Trainer.LightGbm;
        [Parameter] readonly bool Verbose;
        [Parameter] readonly string[] Groups = [];
        [Parameter] readonly AbsolutePath? Data;
        [Parameter("API key"), Secret] readonly string? ApiKey;

        Target Show => _ => _.Executes(() => Record(
            $"lr={LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)} trees={Trees} trainer={Trainer} verbose={Verbose} " +
            $"groups={string.Join('|', Groups)} data={Data?.RelativeTo(RootDirectory)} key={ApiKey?.Length}"));
    }

    static string Show(BuildRun run, string args)
    {
        run.Run<ParameterBuild>("Show " + args);
        run.ExitCode.ShouldBe(0, run.Error);
        var line = run.Log.Last();
        File.Delete(run.Root / "log.txt");
        return line;
    }

    [Fact]
    public void Values_of_every_supported_type_convert_from_the_command_line()
    {
        using var run = new BuildRun();
        Show(run, "--learning-rate 0.05 --trees 300 --trainer fast-tree --verbose --groups a b,c --data data/x.csv --api-key s3cret")
            .ShouldBe("lr=0.05 trees=300 trainer=FastTree verbose=True groups=a|b|c data=data/x.csv key=6");
        Show(run, "").ShouldBe("lr=0.1 trees=100 trainer=LightGbm verbose=False groups= data= key=");
        Show(run, "--verbose false --trees=7").ShouldBe("lr=0.1 trees=7 trainer=LightGbm verbose=False groups= data= key=");
    }

    [Fact]
    public void Resolution_order_is_command_line_then_profiles_then_parameters_json_then_environment()
    {
        using var run = new BuildRun();
        Environment.SetEnvironmentVariable("TREES", "1");
        Environment.SetEnvironmentVariable("LEARNING_RATE", "0.9");
        Environment.SetEnvironmentVariable("TRAINER", "Sdca");
        Environment.SetEnvironmentVariable("GROUPS", "x,y");
        try
        {
            Show(run, "").ShouldBe("lr=0.9 trees=1 trainer=Sdca verbose=False groups=x|y data= key=");
            File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "Trees": 2, "LearningRate": 0.5, "Groups": ["p", "q"] }""");
            Show(run, "").ShouldBe("lr=0.5 trees=2 trainer=Sdca verbose=False groups=p|q data= key=");
            File.WriteAllText(run.Root / ".nuke" / "parameters.ci.json", """{ "Trees": 3 }""");
            File.WriteAllText(run.Root / ".nuke" / "parameters.big.json", """{ "Trees": 4, "learning-rate": 0.25 }""");
            Show(run, "--profile ci").ShouldBe("lr=0.5 trees=3 trainer=Sdca verbose=False groups=p|q data= key=");
            Show(run, "--profile ci big").ShouldBe("lr=0.25 trees=4 trainer=Sdca verbose=False groups=p|q data= key=");
            Show(run, "--profile ci big --trees 5").ShouldBe("lr=0.25 trees=5 trainer=Sdca verbose=False groups=p|q data= key=");
        }
        finally
        {
            foreach (var name in new[] { "TREES", "LEARNING_RATE", "TRAINER", "GROUPS" }) Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("--trees many", "Parameter 'Trees' from the command line (--trees): 'many' is not valid; expected an integer")]
    [InlineData("--trainer xgboost", "Parameter 'Trainer' from the command line (--trainer): 'xgboost' is not valid; expected one of LightGbm, FastTree, Sdca")]
    [InlineData("--learning-rate", "Parameter 'LearningRate' from the command line (--learning-rate): '' is not valid; expected a number")]
    [InlineData("--tress 3", "Unknown option '--tress'. Did you mean --trees")]
    [InlineData("--profile missing", "Profile file .nuke/parameters.missing.json does not exist")]
    public void A_value_that_does_not_convert_stops_the_build_naming_parameter_value_source_and_type(string args, string message)
    {
        using var run = new BuildRun().Run<ParameterBuild>("Show " + args);
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void Errors_from_files_and_the_environment_name_their_source()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "Trees": "lots" }""");
        run.Run<ParameterBuild>("Show");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Parameter 'Trees' from .nuke/parameters.json: 'lots' is not valid; expected an integer");

        File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "Tres": 3 }""");
        run.Run<ParameterBuild>("Show");
        run.Error.ShouldContain(".nuke/parameters.json: unknown parameter 'Tres'. Did you mean Trees");

        File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "Trees": 3 """);
        run.Run<ParameterBuild>("Show");
        run.Error.ShouldContain(".nuke/parameters.json is not valid JSON");

        File.Delete(run.Root / ".nuke" / "parameters.json");
        Environment.SetEnvironmentVariable("VERBOSE", "perhaps");
        try
        {
            run.Run<ParameterBuild>("Show");
            run.Error.ShouldContain("Parameter 'Verbose' from the environment (VERBOSE): 'perhaps' is not valid; expected true or false");
        }
        finally { Environment.SetEnvironmentVariable("VERBOSE", null); }
    }

    [Fact]
    public void A_secret_is_never_printed_in_help_or_errors()
    {
        using var run = new BuildRun().Run<ParameterBuild>("--help --api-key hunter22");
        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("--api-key <string>");
        run.Output.ShouldNotContain("hunter22");
        var secretBuild = new BuildRun();
        using (secretBuild)
        {
            Environment.SetEnvironmentVariable("API_KEY", "hunter22");
            try
            {
                secretBuild.Run<ParameterBuild>("Show --help");
                secretBuild.Output.ShouldNotContain("hunter22");
            }
            finally { Environment.SetEnvironmentVariable("API_KEY", null); }
        }
    }
}
