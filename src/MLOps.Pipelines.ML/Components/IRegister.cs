using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Register</c> stage: each model into its pipeline's registry with its lineage (the records of its Ingest,
/// Prepare and Train instances), as challenger, promoted to champion when it beats the champion on the pipeline's
/// promotion metric.
/// </summary>
public interface IRegister : IEvaluate, IExport
{
    [Parameter("Promotion: how much a challenger must beat the champion by on each pipeline's promotion metric", Min = 0, Max = 1)]
    double PromotionMargin => GetValue(() => PromotionMargin, 0.0);

    Target Register => _ => _
        .Description("Register the model with its lineage; set challenger; promote to champion when it beats it")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Evaluate, Export)
            // The registry (read and written) lives outside the outputs: Verifies re-runs Register unless it holds the
            // receipt's version. The lineage comes from the lock records of upstream instances, final before this runs;
            // the lock itself is not an input (the engine writes it after every target: a loop).
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).Metrics, ArtifactsOf(p).Gate)
            .Outputs(ArtifactsOf(p).Receipt, ArtifactsOf(p).RegistryChange)
            .Verifies(() => RegisterStage.IsRecorded(RegistryOf(p), ArtifactsOf(p).Receipt),
                $"models/{p.ModelName}/{ModelRegistry.FileName} holds the receipt's version and model digest")
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                var registry = RegistryOf(p);
                var lineage = TrainingLineage.FromRecords(TargetRecords.WorkingTree(RootDirectory),
                    $"{nameof(Ingest)}@{p.Name}", $"{nameof(Prepare)}@{p.Name}", $"{nameof(Train)}@{p.Name}");
                var promotion = new PromotionPolicy(p.PromotionMetric, PromotionMargin, ModelTask.HigherIsBetter(p.PromotionMetric));
                var request = new RegisterRequest(paths.Model, lineage.WithTraining(TrainingOptionsOf(p)), HeadlineMetrics.Read(paths.Metrics),
                    GateVerdict.Read(paths.Gate).Passed, promotion);
                var result = RegisterStage.Run(registry, request, paths.Receipt);
                new RegistryChange(result.Change).Write(paths.RegistryChange);
                Console.WriteLine(result.Change);
                Console.WriteLine((result.RegisteredNow ? $"registered {registry.ModelName} v{result.Version.Version}" : $"{registry.ModelName} v{result.Version.Version} is this model already")
                                  + $" (sha256 {result.Version.ModelSha256[..12]}); {result.Promotion.Reason}; aliases: {string.Join(", ", result.Aliases)}");
            }));
}
