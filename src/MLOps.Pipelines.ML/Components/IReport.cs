using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Report</c> stage: one self-contained HTML report per pipeline, the end of the training chain.</summary>
public interface IReport : IRegister, IExplain
{
    Target Report => _ => _
        .Description("One self-contained HTML report: metrics, plots, data quality, fairness, importance, lineage")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Register, Explain)
            .Inputs(ArtifactsOf(p).Receipt, ArtifactsOf(p).Evaluation, ArtifactsOf(p).Explanation, ArtifactsOf(p).Quality, ArtifactsOf(p).RegistryFile)
            .Outputs(ArtifactsOf(p).Report)
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                var version = RegistrationReceipt.Read(paths.Receipt).Version;
                var inputs = new ReportInputs($"{p.Name} — {p.ModelName} v{version}",
                    [new("Pipeline", p.Name), new("Raw data", RawFileOf(p).Name), new("Split", Split.ToString())],
                    paths.Ingested, paths.Evaluation, paths.Explanation, RegistryOf(p), version);
                Console.WriteLine($"report: {ReportStage.Run(inputs, paths.Report)}");
            }));
}
