using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Export</c> stage: each model and its featurization as ONNX, checked against ML.NET, made servable: golden
/// records (raw rows of the ingested data and the ONNX model's offline predictions: the server's self-check and
/// Deploy's gate) and the serving manifest <c>model.json</c>, so <c>mlops-serve --model-dir artifacts/&lt;model&gt;/export</c> serves it.
/// </summary>
public interface IExport : ITrain
{
    Target Export => _ => _
        .Description("Export the model and its featurization to ONNX; check it against ML.NET (fails above 1e-5); write golden records and model.json")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).TestData, ArtifactsOf(p).IngestedData)
            .Outputs(ArtifactsOf(p).Exported)
            .Executes(() =>
            {
                var paths = ArtifactsOf(p);
                Console.WriteLine(ExportStage.Run(paths.Model, paths.Prepared, paths.Exported).Parity.ToString());
                ServingDirectory.Write(paths.Exported, p, paths.IngestedData, ServingDirectory.UnregisteredVersion);
                Console.WriteLine($"export: {paths.Golden} (offline ONNX predictions for the golden check), {paths.ServingManifest}");
            }));
}
