using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Package</c> stage: the ONNX model with its metadata and metrics, zipped (kept thin: its body is replaced by the container image).</summary>
public interface IPackage : IRegister
{
    Target Package => _ => _
        .Description("Zip the ONNX model with its metadata and metrics")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Register, Export)
            .Inputs(ArtifactsOf(p).Exported, ArtifactsOf(p).Receipt, ArtifactsOf(p).Metrics)
            .Outputs(ArtifactsOf(p).Package)
            .Executes(() => Console.WriteLine(
                $"package: {PackageStage.Run(ArtifactsOf(p).Exported, ArtifactsOf(p).Evaluation, ArtifactsOf(p).Receipt, ArtifactsOf(p).Package)}")));
}
