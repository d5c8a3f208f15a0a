using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Export</c> stage: each model and its featurization as ONNX, checked against ML.NET.</summary>
public interface IExport : ITrain
{
    Target Export => _ => _
        .Description("Export the model and its featurization to ONNX; check it against ML.NET (fails above 1e-5)")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).TestData)
            .Outputs(ArtifactsOf(p).Exported)
            .Executes(() => Console.WriteLine(ExportStage.Run(ArtifactsOf(p).Model, ArtifactsOf(p).Prepared, ArtifactsOf(p).Exported).Parity.ToString())));
}
