using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.Registry;
using MLOps.Pipelines.ML.Tests.Retraining;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Stages;

/// <summary>
/// Issue 8: Evaluate reads the registry's champion, so its up-to-date check must see the champion. In a real build of
/// the churn pipeline (the ML library's components): an up-to-date Evaluate re-runs when the champion moves to another
/// model, stays up to date when nothing moved, and when Register promotes the very model it evaluated.
/// </summary>
[Collection(nameof(RetrainBuilds))]
public sealed class EvaluateChampionTests
{
    sealed class EvaluateBuild : PipelineBuild, IEvaluate
    {
        public IReadOnlyList<PipelineDefinition> Pipelines => [CustomerChurnPipeline.Definition];
    }

    static string Evaluate(AbsolutePath root)
    {
        PipelineBuild.Execute<EvaluateBuild>(["Evaluate", "--raw-data", TestData.File(CustomerChurnPipeline.Definition.RawFile), "--trees", "20", "--leaves", "8",
            "--threads", "1", "--root", root]).ShouldBe(0);
        var last = JsonNode.Parse(File.ReadAllLines(root / ".nuke" / "audit" / "audit.log")[^1])!;
        return last["targets"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "Evaluate@CustomerChurn")!["outcome"]!.GetValue<string>();
    }

    static ModelVersion Register(ModelRegistry registry, string file, double auc) =>
        registry.Register(new ModelRegistration(AbsolutePath.Create(file), new Dictionary<string, string>(), "code", new Dictionary<string, string>(),
            new Dictionary<string, double> { ["auc"] = auc }, "unknown"));

    [Fact]
    public void An_up_to_date_Evaluate_re_runs_when_the_champion_moves_to_another_model_and_not_when_its_own_model_is_promoted()
    {
        using var temporary = new TemporaryDirectory();
        var root = temporary.Path;
        Directory.CreateDirectory(root / ".nuke");
        var paths = CustomerChurnPipeline.Definition.Artifacts(root, root / "artifacts");
        var registry = ModelRegistry.ForModel(root, CustomerChurnPipeline.Definition.ModelName, FileSystemModelBlobStore.ForRepository(root));

        Evaluate(root).ShouldBe("Succeeded");
        GateVerdict.Read(paths.Gate).ChampionVersion.ShouldBeNull("no registry, no champion (and no missing-input failure)");
        Evaluate(root).ShouldBe("UpToDate");

        // Another model becomes champion (registered elsewhere, rolled in by hand): the comparison changed.
        var other = root / "other.zip";
        File.WriteAllBytes(other, RandomNumberGenerator.GetBytes(512));
        var v1 = Register(registry, other, auc: 0.5);
        registry.SetAlias(ModelAliases.Champion, v1.Version, "champion from another branch");
        Evaluate(root).ShouldBe("Succeeded");
        var verdict = GateVerdict.Read(paths.Gate);
        verdict.ChampionVersion.ShouldBe("v1");
        verdict.ChampionSha256.ShouldBe(v1.ModelSha256);
        verdict.Message.ShouldContain("champion v1");
        Evaluate(root).ShouldBe("UpToDate");

        // Register promotes the evaluated model itself: what it was compared with (v1) is still the baseline.
        var own = Register(registry, paths.Model, auc: 0.8);
        registry.SetAlias(ModelAliases.Challenger, own.Version, "registered by the test");
        registry.Promote(qualityGatePassed: true).Promoted.ShouldBeTrue();
        Evaluate(root).ShouldBe("UpToDate");
        ChampionBaseline.Of(registry, own.ModelSha256, "auc")!.Version.ShouldBe("v1");

        // Rolled back to v1: still v1 for this model. Moved to a third model: Evaluate runs again.
        registry.Rollback("the test rolls back");
        Evaluate(root).ShouldBe("UpToDate");
        var third = root / "third.zip";
        File.WriteAllBytes(third, RandomNumberGenerator.GetBytes(512));
        var v3 = Register(registry, third, auc: 0.6);
        registry.SetAlias(ModelAliases.Champion, v3.Version, "a third model");
        Evaluate(root).ShouldBe("Succeeded");
        GateVerdict.Read(paths.Gate).ChampionVersion.ShouldBe($"v{v3.Version}");
    }
}
