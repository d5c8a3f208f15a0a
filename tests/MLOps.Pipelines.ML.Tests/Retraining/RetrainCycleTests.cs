using MLOps.Pipelines.ML.Evaluation;
#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Retraining;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Registry;
using MLOps.Pipelines.ML.Tests.Stages;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Retraining;

/// <summary>
/// The loop end to end in a real build on the churn data: Monitor's verdict decides, Train runs only when it says
/// retrain, Register gates the challenger against the champion, and the registry and the audit log say why.
/// </summary>
[Collection(nameof(RetrainBuilds))]
public sealed class RetrainCycleTests(ChurnStagesFixture churn) : IClassFixture<ChurnStagesFixture>
{
    static ChurnStagesFixture? s_churn;
    static readonly EvaluateSettings Lenient = new(new QualityGatePolicy("auc", 0.6, 0.05));

    sealed class RetrainBuild : PipelineBuild
    {
        [Parameter("Monitor's verdict line")] readonly string Verdict = "";
        [Parameter] readonly int Trees = 30;

        ChurnStagesFixture Churn => s_churn!;
        AbsolutePath Decision => RootDirectory / "monitor" / RetrainDecisionFile.FileName;
        AbsolutePath Model => RootDirectory / "model" / TrainStage.ModelFile;
        ModelRegistry Registry => ModelRegistry.ForModel(RootDirectory, "churn", FileSystemModelBlobStore.ForRepository(RootDirectory));

        Target Monitor => _ => _.Executes(() =>
            RetrainStage.Decide(RetrainPolicy.Default,
                new RetrainSignals(DriftVerdict.Parse(Verdict), null, ScheduleTrigger.IsScheduledRun(), RetrainStage.LastTrainedAt(Registry), DateTimeOffset.UtcNow),
                Decision));

        Target Train => _ => _.DependsOn(Monitor).OnlyWhenDynamic(() => RetrainDecisionFile.Read(Decision).Retrain).Executes(() =>
            TrainStage.Run(Churn.Prepared, Churn.Definition.Spec, ChurnStagesFixture.SmallModel with { Trees = Trees }, Model));

        Target Register => _ => _.DependsOn(Train).OnlyWhenDynamic(() => RetrainDecisionFile.Read(Decision).Retrain).Executes(() =>
        {
            var evaluation = EvaluateStage.Run(Model, Churn.Prepared, Churn.Definition.Spec, Lenient, RootDirectory / "evaluation");
            var outcome = RetrainStage.Register(RetrainDecisionFile.Read(Decision), Registry, Request(Model, evaluation.Headline, true), RootDirectory / "registration.json");
            Console.WriteLine(outcome.Summary);
        });
    }

    static RegisterRequest Request(string model, IReadOnlyDictionary<string, double> metrics, bool gatePassed) => new(
        model, new TrainingLineage(new Dictionary<string, string> { ["data/telco-churn.csv"] = "xxh3:test" }, "code", new Dictionary<string, string>()),
        metrics, gatePassed, new PromotionPolicy("auc"), GitCommit: "unknown");

    [Fact]
    public void A_drifted_batch_retrains_and_gates_the_challenger_a_batch_without_drift_does_not()
    {
        s_churn = churn;
        using var root = new TemporaryDirectory();
        Directory.CreateDirectory(root.Path / ".nuke");
        // The champion in service: the fixture's model, registered moments ago (so the schedule alone would not retrain).
        var registry = ModelRegistry.ForModel(root.Path, "churn", FileSystemModelBlobStore.ForRepository(root.Path));
        var evaluation = EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, Lenient, churn.NewDirectory("champion-eval"));
        RegisterStage.Run(registry, Request(churn.ModelPath, evaluation.Headline, true), root.Path / "champion.json").Promotion.Promoted.ShouldBeTrue();

        PipelineBuild.Execute<RetrainBuild>(["Register", "--verdict", "drift: none (1 of 19 features)", "--root", root.Path]).ShouldBe(0);
        registry.Versions().Count.ShouldBe(1);
        RetrainDecisionFile.Read(root.Path / "monitor" / RetrainDecisionFile.FileName).Summary.ShouldBe("no retrain: drift: none (1 of 19 features)");

        PipelineBuild.Execute<RetrainBuild>(["Register", "--verdict", "drift: detected (6 of 19 features)", "--trees", "60", "--root", root.Path]).ShouldBe(0);
        var versions = registry.Versions();
        versions.Count.ShouldBe(2);
        var challengerMove = registry.History(ModelAliases.Challenger).Last();
        challengerMove.To.ShouldBe(2);
        challengerMove.Why.ShouldStartWith("retrained: drift: detected (6 of 19 features) (model sha256 ");
        // Promoted only when it beats the champion: the registry decided on the real AUCs.
        var championWins = versions[1].Metrics["auc"] > versions[0].Metrics["auc"];
        registry.Get(ModelAliases.Champion).Version.ShouldBe(championWins ? 2 : 1);

        var records = File.ReadAllLines(root.Path / ".nuke" / "audit" / "audit.log").Select(l => JsonNode.Parse(l)!).ToList();
        records.Count.ShouldBe(2);
        Events(records[0]).Select(e => e.Kind).ShouldBe(["retrain.decision"]);
        Events(records[0])[0].Fields["retrain"].ShouldBe("false");
        Outcomes(records[0]).ShouldContain("Train Skipped");
        var retrained = Events(records[1]);
        retrained.Select(e => e.Kind).ShouldContain("retrain.decision");
        retrained.Select(e => e.Kind).ShouldContain("registry.register");
        var outcome = retrained.Single(e => e.Kind == "retrain.outcome").Fields;
        outcome["why"].ShouldBe("drift: detected (6 of 19 features)");
        outcome["version"].ShouldBe("2");
        outcome["promoted"].ShouldBe(championWins ? "true" : "false");
        Outcomes(records[1]).ShouldContain("Train Succeeded");
    }

    static List<(string Kind, Dictionary<string, string> Fields)> Events(JsonNode record) =>
        [.. record["events"]!.AsArray().Select(e => (e!["kind"]!.GetValue<string>(),
            e["fields"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.GetValue<string>())))];

    static List<string> Outcomes(JsonNode record) =>
        [.. record["targets"]!.AsArray().Select(t => $"{t!["name"]!.GetValue<string>()} {t["outcome"]!.GetValue<string>()}")];
}

/// <summary>In-process builds swap Console.Out; keep them sequential.</summary>
[CollectionDefinition(nameof(RetrainBuilds), DisableParallelization = true)]
public sealed class RetrainBuilds;
