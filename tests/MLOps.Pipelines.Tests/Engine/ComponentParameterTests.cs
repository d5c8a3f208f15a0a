namespace MLOps.Pipelines.Tests.Engine;

/// <summary>Components own their parameters, paths and targets (Nuke.Components' shape); a build composes them.</summary>
[Collection(nameof(InProcessBuilds))]
public class ComponentParameterTests
{
    public enum Booster { Gbdt, Dart }

    internal interface IHazTrees : IPipelineBuild
    {
        [Parameter("Boosting rounds")] int Trees => GetValue(() => Trees, 250);
        [Parameter("Boosting algorithm")] Booster Booster => GetValue(() => Booster, Booster.Gbdt);
    }

    internal interface ITrainComponent : IHazTrees
    {
        AbsolutePath ModelFile => RootDirectory / "out" / "model.txt";

        Target Train => _ => _
            .Outputs(ModelFile)
            .Executes(() =>
            {
                Directory.CreateDirectory(ModelFile.Parent!);
                File.WriteAllText(ModelFile, $"{Trees} {Booster}");
            });
    }

    internal interface IPrepareComponent : IPipelineBuild
    {
        [Parameter("Label of the prepared data")] string? Label => GetValue(() => Label, null);
        AbsolutePath PreparedFile => RootDirectory / "out" / "prepared.txt";

        Target Prepare => _ => _
            .Outputs(PreparedFile)
            .Executes(() =>
            {
                Directory.CreateDirectory(PreparedFile.Parent!);
                File.WriteAllText(PreparedFile, Label ?? "(none)");
            });
    }

    sealed class ComposedBuild : LoggingBuild, ITrainComponent, IPrepareComponent
    {
        Target All => _ => _.DependsOn<ITrainComponent>(x => x.Train).DependsOn<IPrepareComponent>(x => x.Prepare).Executes(() => Record(nameof(All)));
    }

    [Fact]
    public void Help_lists_component_parameters_with_their_defaults_and_the_schema_has_them()
    {
        using var run = new BuildRun().Run<ComposedBuild>("--help");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldMatch(@"--trees <int>\s+Boosting rounds \(default: 250; env TREES\)");
        run.Output.ShouldMatch(@"--booster <Booster>\s+Boosting algorithm \[Gbdt, Dart\] \(default: Gbdt; env BOOSTER\)");
        run.Output.ShouldMatch(@"--label <string>\s+Label of the prepared data \(no default; env LABEL\)");
        var schema = File.ReadAllText(run.Root / ".nuke" / "build.schema.json");
        schema.ShouldContain("\"Trees\"");
        schema.ShouldContain("\"Label\"");
    }

    [Fact]
    public void Values_resolve_from_the_command_line_profiles_and_parameters_json()
    {
        using var run = new BuildRun().Run<ComposedBuild>("All");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        File.ReadAllText(run.Root / "out" / "model.txt").ShouldBe("250 Gbdt");
        File.ReadAllText(run.Root / "out" / "prepared.txt").ShouldBe("(none)");

        File.WriteAllText(run.Root / ".nuke" / "parameters.json", """{ "Trees": 7, "Label": "base" }""");
        File.WriteAllText(run.Root / ".nuke" / "parameters.fast.json", """{ "Trees": 9 }""");
        run.Run<ComposedBuild>("All --profile fast --booster dart");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        File.ReadAllText(run.Root / "out" / "model.txt").ShouldBe("9 Dart");
        File.ReadAllText(run.Root / "out" / "prepared.txt").ShouldBe("base");

        run.Run<ComposedBuild>("All --trees many");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Parameter 'Trees' from the command line (--trees): 'many' is not valid; expected an integer");
    }

    [Fact]
    public void Changing_a_component_parameter_reruns_exactly_the_targets_that_read_it()
    {
        using var run = new BuildRun().Run<ComposedBuild>("All");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        var records = TargetRecords.WorkingTree(run.Root);
        records.Find("Train")!.Parameters.ShouldBe(new Dictionary<string, string> { ["Booster"] = "Gbdt", ["Trees"] = "250" });
        records.Find("Prepare")!.Parameters.ShouldBe(new Dictionary<string, string> { ["Label"] = "" }); // read, unset
        run.Run<ComposedBuild>("All --trees 300");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        run.Output.ShouldMatch(@"Train\s+Succeeded");
        run.Output.ShouldMatch(@"Prepare\s+UpToDate");
        run.Output.ShouldContain("parameter Trees: 250 → 300");
        TargetRecords.WorkingTree(run.Root).Find("Train")!.Parameters["Trees"].ShouldBe("300");

        run.Run<ComposedBuild>("All --trees 300 --label x");
        run.Output.ShouldMatch(@"Train\s+UpToDate");
        run.Output.ShouldMatch(@"Prepare\s+Succeeded");
        TargetRecords.WorkingTree(run.Root).Find("Prepare")!.Parameters["Label"].ShouldBe("x");
    }
}
