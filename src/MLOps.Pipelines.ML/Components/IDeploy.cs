using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>The <c>Deploy</c> stage: each pipeline's package unpacked into an environment (kept thin: blue/green deploy replaces its body).</summary>
public interface IDeploy : IPackage
{
    [Parameter("Deployment environment, e.g. staging; Deploy is skipped without one")]
    string? DeployEnvironment => GetValue<string?>(() => DeployEnvironment, null);

    Target Deploy => _ => _
        .Description("Unpack the package into artifacts/deployments/<environment>/")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Package)
            .OnlyWhenStatic(() => DeployEnvironment != null, "no --deploy-environment given (e.g. --deploy-environment staging)")
            .Executes(() => Console.WriteLine(
                $"deployed to {DeployStage.Run(ArtifactsOf(p).Package, DeployEnvironment!, PipelineArtifacts.Deployments(ArtifactsDirectory), p.ModelName)}")));
}
