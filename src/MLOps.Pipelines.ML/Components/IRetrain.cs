using System.Globalization;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Retraining;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// Continuous training: after <see cref="IMonitor.Monitor"/>, and only when its decision says retrain, a challenger is
/// trained on the pipeline's prepared data (<c>artifacts/&lt;model&gt;/retrain/</c>, beside the pipeline's own model so
/// Train's cache is untouched), evaluated and gated, and registered with the decision as its reason; the registry's
/// promotion policy makes it champion only if it beats the champion. Registry history and the audit trail say why.
/// </summary>
public interface IRetrain : IMonitor
{
    Target Retrain => _ => _
        .Description("Continuous training: when Monitor decides to retrain, train a challenger, evaluate and gate it, register it; promoted only if it beats the champion")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Monitor)
            .OnlyWhenDynamic(() => RetrainDecisionFile.Read(DecisionFileOf(p)).Retrain, "Monitor decided not to retrain (artifacts/<model>/monitor/retrain.json says why)")
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                var registry = RegistryOf(p);
                var decision = RetrainDecisionFile.Read(DecisionFileOf(p));
                var directory = paths.Root / "retrain";
                var model = directory / "model" / TrainStage.ModelFile;
                var options = TrainingOptionsOf(p);
                var trained = TrainStage.Run(paths.Prepared, p.Spec, options, model);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"challenger: {options.Trainer}, {options.Trees} trees on {trained.TrainRows:N0} rows in {trained.FitTime.TotalSeconds:0.0} s"));
                var gate = new QualityGatePolicy(p.GateMetric, GateThreshold ?? p.GateThreshold, ChampionTolerance);
                var evaluation = EvaluateStage.Run(model, paths.Prepared, p.Spec, new EvaluateSettings(gate, ChampionOf(registry, gate.Metric)), directory / "evaluation");
                Console.WriteLine(evaluation.Gate.Message);
                var lineage = TrainingLineage.FromRecords(TargetRecords.WorkingTree(RootDirectory),
                    $"{nameof(Ingest)}@{p.Name}", $"{nameof(Prepare)}@{p.Name}", $"{nameof(Train)}@{p.Name}");
                var promotion = new PromotionPolicy(p.PromotionMetric, PromotionMargin, ModelTask.HigherIsBetter(p.PromotionMetric));
                var request = new RegisterRequest(model, lineage.WithTraining(options), evaluation.Headline, evaluation.Gate.Passed, promotion);
                Console.WriteLine(RetrainStage.Register(decision, registry, request, directory / RegistrationReceipt.FileName).Summary);
            }));

    /// <summary>The registered champion's value of <paramref name="metric"/>, for the challenger's gate.</summary>
    private static ChampionModel? ChampionOf(ModelRegistry registry, string metric)
    {
        if (!registry.Aliases().ContainsKey(ModelAliases.Champion)) return null;
        var champion = registry.Get(ModelAliases.Champion);
        return champion.Metrics.TryGetValue(metric, out var value) ? new ChampionModel($"v{champion.Version}", value) : null;
    }
}
