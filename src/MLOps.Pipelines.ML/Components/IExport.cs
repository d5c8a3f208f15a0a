using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Export</c> stage: each model and its featurization as ONNX, checked against ML.NET, made servable
/// (<c>golden.json</c> and <c>model.json</c> beside <c>model.onnx</c>: the server's startup check and identity).
/// </summary>
public interface IExport : ITrain
{
    Target Export => _ => _
        .Description("Export the model and its featurization to ONNX; check it against ML.NET (fails above 1e-5)")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).TestData, ArtifactsOf(p).IngestedData)
            .Outputs(ArtifactsOf(p).Exported)
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                var result = ExportStage.Run(paths.Model, paths.Prepared, paths.Exported);
                ServingDirectory.Write(paths.Exported, p, paths.IngestedData, ServingDirectory.UnregisteredVersion);
                Console.WriteLine(result.Parity.ToString());
            }));
}
