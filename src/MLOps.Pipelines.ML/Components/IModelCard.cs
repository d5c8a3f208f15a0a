using MLOps.Pipelines.ML.Governance;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Retraining;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>ModelCard</c> stage: a card (Markdown and HTML) per registered version of each pipeline's model, from the
/// registry and the declared artifacts — Ingest's quality report, Evaluate's metrics and fairness, Explain's importance,
/// Monitor's drift report and retraining decision — under <c>artifacts/&lt;model&gt;/model-card/</c>.
/// </summary>
public interface IModelCard : IRegister, IExplain
{
    Target ModelCard => _ => _
        .Description("A model card (Markdown and HTML) per registered version: intended use, data, metrics, fairness, explanations, drift, lineage, approvals")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Register, Explain)
            .Inputs(ArtifactsOf(p).Receipt, ArtifactsOf(p).Evaluation, ArtifactsOf(p).Explanation, ArtifactsOf(p).Quality, ArtifactsOf(p).RegistryFile)
            .Outputs(ArtifactsOf(p).Root / "model-card")
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                var registry = RegistryOf(p);
                string[] monitorReports = [paths.Monitoring / MonitorReportWriter.JsonFile, paths.Monitoring / RetrainDecisionFile.FileName];
                foreach (var version in registry.Versions())
                {
                    var files = ModelCardStage.Run(new ModelCardInputs(registry, version.Version, p.IntendedUse,
                        paths.Ingested, paths.Evaluation, paths.Explanation, monitorReports), paths.Root / "model-card");
                    Console.WriteLine($"model card v{version.Version}: {files.Markdown}, {files.Html}");
                }
            }));
}
