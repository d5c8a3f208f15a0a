namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class CliTests
{
    sealed class DemoBuild : LoggingBuild
    {
        [Parameter("Boosting rounds")] readonly int Trees = 200;
        public Target Prepare => _ => _.Description("Split the data").Executes(() => Record($"{Trees}"));
        public Target Train => _ => _.Description("Fit the model").DependsOn(Prepare).Executes(() => Record(nameof(Train)));
        Target Internal => _ => _.Unlisted().Executes(() => { });
    }

    [Fact]
    public void Help_lists_targets_with_dependencies_and_descriptions_the_default_marked_and_parameters()
    {
        using var run = new BuildRun().Run<DemoBuild>("--help", x => x.Train);
        run.ExitCode.ShouldBe(0);
        run.Output.ShouldMatch(@"\n\s+Prepare\s+Split the data\n");
        run.Output.ShouldMatch(@"\n\s+\*Train\s+Fit the model → Prepare\n");
        run.Output.ShouldNotContain("Internal");
        run.Output.ShouldMatch(@"--trees <int>\s+Boosting rounds \(default: 200; env TREES\)");
        run.Output.ShouldContain("--dry-run");
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void Plan_prints_Mermaid_and_writes_an_html_page()
    {
        using var run = new BuildRun().Run<DemoBuild>("Train --plan");
        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("graph LR");
        run.Output.ShouldContain("Prepare --> Train");
        run.Output.ShouldContain("class Prepare,Train planned");
        var page = File.ReadAllText(run.Root / ".nuke" / "temp" / "plan.html");
        page.ShouldContain("Prepare --&gt; Train"); // the Mermaid source, to paste elsewhere
        // Works offline: no script at all, the graph drawn as inline SVG.
        page.ShouldNotContain("<script");
        page.ShouldNotContain("http://");
        page.ShouldNotContain("https://");
        page.ShouldContain("<svg width=");
        page.ShouldContain("<g class=\"target planned\" data-target=\"Prepare\">");
        page.ShouldContain("<g class=\"target planned\" data-target=\"Train\">");
        page.ShouldContain("data-from=\"Prepare\" data-to=\"Train\" data-kind=\"DependsOn\"");
        System.Xml.Linq.XDocument.Parse(page[page.IndexOf("<svg", StringComparison.Ordinal)..(page.IndexOf("</svg>", StringComparison.Ordinal) + 6)])
            .Root!.Name.LocalName.ShouldBe("svg");
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void Every_run_writes_the_parameter_schema()
    {
        using var run = new BuildRun().Run<DemoBuild>("--help");
        var schema = File.ReadAllText(run.Root / ".nuke" / "build.schema.json");
        schema.ShouldContain("\"Trees\"");
        schema.ShouldContain("\"type\": \"integer\"");
        schema.ShouldContain("\"description\": \"Boosting rounds\"");
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        using var run = new BuildRun();
        run.Run<DemoBuild>("Train --jobs zero");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--jobs takes one positive whole number");
        run.Run<DemoBuild>("Train --verbosity loud");
        run.Error.ShouldContain("--verbosity takes one of quiet, minimal, normal, verbose");
        run.Run<DemoBuild>("");
        run.Error.ShouldContain("No target given and the build declares no default");
        run.Run<DemoBuild>("Train --force Trian");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Unknown target 'Trian'. Did you mean Train");
        run.Run<DemoBuild>("Train --skip Prepar");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Unknown target 'Prepar'. Did you mean Prepare");
    }

    [Fact]
    public void Dry_run_lists_what_would_run_and_runs_nothing()
    {
        using var run = new BuildRun().Run<DemoBuild>("Train --dry-run --skip Prepare");
        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("Prepare: would be skipped (--skip)");
        run.Output.ShouldContain("Train: would run");
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void Words_after_a_flag_without_value_are_targets()
    {
        using var run = new BuildRun().Run<DemoBuild>("--dry-run Prepare");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("Prepare: would run");
        run.Output.ShouldNotContain("Train");
    }

    [Theory]
    [InlineData("LearningRate", "learning-rate", "LEARNING_RATE")]
    [InlineData("OnnxURL", "onnx-url", "ONNX_URL")]
    [InlineData("MaxRejectedFraction2", "max-rejected-fraction2", "MAX_REJECTED_FRACTION2")]
    public void Parameter_names_follow_kebab_and_screaming_snake_case(string member, string cli, string env)
    {
        Internal.Parameters.ParameterNames.ToKebabCase(member).ShouldBe(cli);
        Internal.Parameters.ParameterNames.ToEnvironmentName(member).ShouldBe(env);
    }
}
