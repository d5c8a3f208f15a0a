#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Tests.CI;

namespace MLOps.Pipelines.Tests.Engine;

/// <summary>Target families: one declaration, one target per key (<c>Train@Flights</c>), each with its own lock entry and CI job.</summary>
[Collection(nameof(InProcessBuilds))]
public class TargetFamilyTests
{
    internal sealed record Dataset(string Name, string Folder);

    [GitHubActions("ci", On = [CiTrigger.Push], InvokedTargets = [nameof(Report)])]
    [GitLab(On = [CiTrigger.Push], InvokedTargets = [nameof(Report)])]
    [CiEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE")]
    sealed class FamilyBuild : LoggingBuild
    {
        static readonly Dataset[] Datasets = [new("Flights", "flights"), new("Churn", "churn")];

        [Parameter] readonly int Factor = 2;

        AbsolutePath Data(Dataset d) => RootDirectory / "data" / $"{d.Folder}.txt";
        AbsolutePath Prepared(Dataset d) => RootDirectory / "out" / d.Folder / "prepared.txt";
        AbsolutePath Model(Dataset d) => RootDirectory / "out" / d.Folder / "model.txt";

        Target Prepare => _ => _
            .Description("Clean one data set")
            .ForEach(Datasets, d => d.Name, (_, d) => _
                .Inputs(Data(d))
                .Outputs(Prepared(d))
                .Executes(() =>
                {
                    Record($"Prepare@{d.Name}");
                    Directory.CreateDirectory(Prepared(d).Parent!);
                    File.WriteAllText(Prepared(d), File.ReadAllText(Data(d)).Trim());
                }));

        Target Train => _ => _
            .Description("Fit one model")
            .ForEach(Datasets, d => d.Name, (_, d) => _
                .DependsOn(Prepare)
                .Inputs(Prepared(d))
                .Outputs(Model(d))
                .Executes(() =>
                {
                    Record($"Train@{d.Name}");
                    var value = int.Parse(File.ReadAllText(Prepared(d)), System.Globalization.CultureInfo.InvariantCulture) * Factor;
                    File.WriteAllText(Model(d), value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    TargetMetrics.Record("value", value);
                }));

        public Target Report => _ => _.DependsOn(Train).Executes(() => Record(nameof(Report)));
    }

    static BuildRun NewRun()
    {
        var run = new BuildRun();
        Directory.CreateDirectory(run.Root / "data");
        File.WriteAllText(run.Root / "data" / "flights.txt", "10");
        File.WriteAllText(run.Root / "data" / "churn.txt", "20");
        return run;
    }

    static List<string> LogOf(BuildRun run)
    {
        var log = run.Log.ToList();
        File.Delete(run.Root / "log.txt");
        return log;
    }

    [Fact]
    public void The_family_name_runs_every_instance_each_after_the_instance_of_its_own_key()
    {
        using var run = NewRun().Run<FamilyBuild>("Train --jobs 1");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        var log = run.Log.ToList();
        log.Order().ShouldBe(["Prepare@Churn", "Prepare@Flights", "Train@Churn", "Train@Flights"]);
        log.IndexOf("Prepare@Flights").ShouldBeLessThan(log.IndexOf("Train@Flights"));
        log.IndexOf("Prepare@Churn").ShouldBeLessThan(log.IndexOf("Train@Churn"));
        run.Output.ShouldMatch(@"Train@Flights\s+Succeeded");
        run.Output.ShouldMatch(@"Train@Churn\s+Succeeded");
        File.ReadAllText(run.Root / "out" / "flights" / "model.txt").ShouldBe("20");
        File.ReadAllText(run.Root / "out" / "churn" / "model.txt").ShouldBe("40");
    }

    [Fact]
    public void One_instance_runs_alone_with_the_instances_of_its_key_and_a_plain_target_needs_every_instance()
    {
        using var run = NewRun().Run<FamilyBuild>("train@churn");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        LogOf(run).ShouldBe(["Prepare@Churn", "Train@Churn"]);

        run.Run<FamilyBuild>("Report --jobs 1");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        var log = LogOf(run);
        log.ShouldBe(["Prepare@Flights", "Train@Flights", "Report"]); // Churn's instances are up to date
        run.Output.ShouldMatch(@"Train@Churn\s+UpToDate");
    }

    [Fact]
    public void Each_instance_has_its_own_lock_entry_and_a_change_to_one_key_never_reruns_another()
    {
        using var run = NewRun().Run<FamilyBuild>("Train");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        var records = TargetRecords.WorkingTree(run.Root);
        var flights = records.Find("Train@Flights").ShouldNotBeNull();
        var churn = records.Find("Train@Churn").ShouldNotBeNull();
        flights.CodeHash.ShouldBe(churn.CodeHash); // one declaration, one code hash
        flights.Fingerprint.ShouldNotBe(churn.Fingerprint); // the key sets them apart
        flights.Metrics["value"].ShouldBe(20);
        churn.Metrics["value"].ShouldBe(40);
        flights.Parameters["Factor"].ShouldBe("2");
        records.OfFamily("Train").Select(r => r.Key).ShouldBe(["Churn", "Flights"]);
        File.Delete(run.Root / "log.txt");

        File.WriteAllText(run.Root / "data" / "churn.txt", "21");
        run.Run<FamilyBuild>("Train");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        LogOf(run).Order().ShouldBe(["Prepare@Churn", "Train@Churn"]);
        run.Output.ShouldMatch(@"Train@Flights\s+UpToDate");
        TargetRecords.WorkingTree(run.Root).Find("Train@Flights")!.Fingerprint.ShouldBe(flights.Fingerprint);
        TargetRecords.WorkingTree(run.Root).Find("Train@Churn")!.Metrics["value"].ShouldBe(42);
    }

    [Fact]
    public void Skip_and_force_take_an_instance_or_the_family_name()
    {
        using var run = NewRun().Run<FamilyBuild>("Train --skip Prepare@Flights --jobs 1");
        run.ExitCode.ShouldBe(1); // Train@Flights has no prepared data: the skip is honoured
        run.Output.ShouldMatch(@"Prepare@Flights\s+Skipped\s+--skip");
        File.Delete(run.Root / "log.txt");

        run.Run<FamilyBuild>("Train");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        File.Delete(run.Root / "log.txt");
        run.Run<FamilyBuild>("Train --force Train");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);
        LogOf(run).Order().ShouldBe(["Train@Churn", "Train@Flights"]);
        run.Run<FamilyBuild>("Train --force Prepare@Churn");
        LogOf(run).Order().ShouldBe(["Prepare@Churn"]); // its output came out the same: Train@Churn stays up to date
    }

    [Fact]
    public void An_unknown_instance_is_a_usage_error_naming_the_closest_names()
    {
        using var run = NewRun().Run<FamilyBuild>("Train@Flight");
        run.ExitCode.ShouldBe(2);
        run.Error.Trim().ShouldStartWith("error: Unknown target 'Train@Flight'. Did you mean Train@Flights or ");
        run.Error.Trim().Split('\n').Length.ShouldBe(1);
        run.Run<FamilyBuild>("Train --skip Train@Nope");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Unknown target 'Train@Nope'");
    }

    [Fact]
    public void Help_plan_dry_run_and_the_schema_show_every_instance()
    {
        using var run = NewRun().Run<FamilyBuild>("--help", x => x.Report);
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldMatch(@"Train@Flights\s+Fit one model → Prepare@Flights");
        run.Output.ShouldMatch(@"Train@Churn\s+Fit one model → Prepare@Churn");
        run.Output.ShouldContain("Families (name@key; the name alone runs every instance): Prepare, Train");
        run.Output.ShouldMatch(@"\*Report\s+→ Train@Flights, Train@Churn");

        run.Run<FamilyBuild>("Report --plan");
        run.Output.ShouldContain("Train_at_Flights[\"Train@Flights\"]");
        run.Output.ShouldContain("Prepare_at_Churn --> Train_at_Churn");

        run.Run<FamilyBuild>("Train@Flights --dry-run");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("Train@Flights");
        run.Output.ShouldNotContain("Train@Churn");
        run.Log.ShouldBeEmpty();

        File.ReadAllText(run.Root / ".nuke" / "build.schema.json").ShouldContain("\"Train@Churn\"");
    }

    [Fact]
    public void Generated_CI_has_one_job_per_instance_wired_per_key()
    {
        using var run = NewRun().Run<FamilyBuild>("--generate-ci");
        run.ExitCode.ShouldBe(0, run.Error);
        var workflow = CI.CiYaml.Parse(File.ReadAllText(run.Root / ".github" / "workflows" / "ci.yml"));
        workflow.Keys("jobs").Order().ShouldBe(["prepare-churn", "prepare-flights", "report", "train-churn", "train-flights"]);
        workflow.List("jobs", "train-flights", "needs").ShouldBe(["prepare-flights"]);
        workflow.List("jobs", "report", "needs").ShouldBe(["train-churn", "train-flights"]);
        File.ReadAllText(run.Root / ".github" / "workflows" / "ci.yml").ShouldMatch(@"\./build\.sh Train@Flights --job-state-(in|out) ");
        workflow.Text("env", "OMP_WAIT_POLICY").ShouldBe("PASSIVE");

        var gitLab = CI.CiYaml.Parse(File.ReadAllText(run.Root / ".gitlab-ci.yml"));
        gitLab.Keys().ShouldContain("train-churn");
        gitLab.Text("variables", "OMP_WAIT_POLICY").ShouldBe("PASSIVE");
        run.Run<FamilyBuild>("--check-ci");
        run.ExitCode.ShouldBe(0, run.Error);
    }

    sealed class BadKeysBuild : LoggingBuild
    {
        Target Train => _ => _.ForEach(["a b"], k => k, (_, k) => _.Executes(() => Record(k)));
    }

    sealed class DuplicateKeysBuild : LoggingBuild
    {
        Target Train => _ => _.ForEach(["A", "a"], k => k, (_, k) => _.Executes(() => Record(k)));
    }

    [Fact]
    public void Key_names_must_be_valid_and_distinct()
    {
        using var run = new BuildRun().Run<BadKeysBuild>("Train");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Target 'Train': key name 'a b' is not valid");
        run.Run<DuplicateKeysBuild>("Train");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("Target 'Train': two keys are named 'a'");
    }
}
