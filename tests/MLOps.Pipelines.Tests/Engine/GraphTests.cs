namespace MLOps.Pipelines.Tests.Engine;

[Collection(nameof(InProcessBuilds))]
public class GraphTests
{
    sealed class OrderBuild : LoggingBuild
    {
        Target Clean => _ => _.Before(Ingest).Executes(() => Record(nameof(Clean)));
        public Target Ingest => _ => _.Executes(() => Record(nameof(Ingest)));
        Target Prepare => _ => _.DependsOn(Ingest).Executes(() => Record(nameof(Prepare)));
        Target Train => _ => _.DependsOn(Prepare).Triggers(Notify).Executes(() => Record(nameof(Train)));
        Target Evaluate => _ => _.DependsOn(Train).Executes(() => Record(nameof(Evaluate)));
        Target Notify => _ => _.Executes(() => Record(nameof(Notify)));
        Target Report => _ => _.After(Evaluate).Executes(() => Record(nameof(Report)));
        Target Lint => _ => _.DependentFor(Prepare).Executes(() => Record(nameof(Lint)));
        Target Archive => _ => _.TriggeredBy(Evaluate).Executes(() => Record(nameof(Archive)));
    }

    [Fact]
    public void DependsOn_runs_dependencies_first_and_DependentFor_adds_itself_as_one()
    {
        using var run = new BuildRun().Run<OrderBuild>("Prepare --jobs 1");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Log.ShouldBe(["Ingest", "Lint", "Prepare"]);
    }

    [Fact]
    public void Triggers_and_TriggeredBy_plan_targets_after_the_trigger()
    {
        using var run = new BuildRun().Run<OrderBuild>("Evaluate --jobs 1");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Log.ShouldContain("Notify");
        run.Log.ShouldContain("Archive");
        run.Log.ToList().IndexOf("Notify").ShouldBeGreaterThan(run.Log.ToList().IndexOf("Train"));
        run.Log.ToList().IndexOf("Archive").ShouldBeGreaterThan(run.Log.ToList().IndexOf("Evaluate"));
    }

    [Fact]
    public void After_and_Before_order_only_targets_that_are_planned()
    {
        using (var run = new BuildRun().Run<OrderBuild>("Report Clean Evaluate --jobs 2"))
        {
            run.ExitCode.ShouldBe(0, run.Error);
            var log = run.Log.ToList();
            log.IndexOf("Clean").ShouldBeLessThan(log.IndexOf("Ingest"));
            log.IndexOf("Report").ShouldBeGreaterThan(log.IndexOf("Evaluate"));
        }
        using (var alone = new BuildRun().Run<OrderBuild>("Report"))
            alone.Log.ShouldBe(["Report"]);
    }

    sealed class CycleBuild : LoggingBuild
    {
        Target Train => _ => _.DependsOn(Evaluate).Executes(() => Record(nameof(Train)));
        Target Evaluate => _ => _.DependsOn(Train).Executes(() => Record(nameof(Evaluate)));
    }

    [Fact]
    public void A_cycle_is_a_configuration_error_that_prints_the_cycle()
    {
        using var run = new BuildRun().Run<CycleBuild>("Train");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Train -> Evaluate -> Train");
        run.Log.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_target_is_answered_with_the_closest_names()
    {
        using var run = new BuildRun().Run<OrderBuild>("Trian");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Unknown target 'Trian'. Did you mean Train");
    }

    [Fact]
    public void Target_names_are_case_insensitive_and_the_default_runs_without_arguments()
    {
        using (var run = new BuildRun().Run<OrderBuild>("ingest"))
            run.Log.ShouldBe(["Ingest"]);
        using (var defaulted = new BuildRun().Run<OrderBuild>("", x => x.Ingest))
            defaulted.Log.ShouldBe(["Ingest"]);
    }

    interface ITrainComponent : IPipelineBuild
    {
        Target Train => _ => _.Executes(() => File.AppendAllLines(RootDirectory / "log.txt", ["Train"]));
    }

    interface IEvaluateComponent : IPipelineBuild
    {
        Target Evaluate => _ => _.DependsOn<ITrainComponent>(x => x.Train).Executes(() => File.AppendAllLines(RootDirectory / "log.txt", ["Evaluate"]));
    }

    sealed class ComposedBuild : LoggingBuild, ITrainComponent, IEvaluateComponent
    {
        Target Deploy => _ => _.DependsOn<IEvaluateComponent>(x => x.Evaluate).Executes(() => Record(nameof(Deploy)));
    }

    [Fact]
    public void Build_components_declare_targets_on_interfaces_with_default_implementations()
    {
        using var run = new BuildRun().Run<ComposedBuild>("Deploy --jobs 1");
        run.ExitCode.ShouldBe(0, run.Error + run.Output);
        run.Log.ShouldBe(["Train", "Evaluate", "Deploy"]);
    }
}
