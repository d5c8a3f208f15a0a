using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.Serving.Delivery;

namespace MLOps.Pipelines.Serving.Components;

/// <summary>
/// The base of the delivery components (Package, Deploy, Rollback): each pipeline's <see cref="DeliverySettings"/> and
/// the deployment parameters they share. They live here, not in the ML library, because they build images and run
/// servers (Containers, ASP.NET Core), which the ML library must not reference.
/// </summary>
public interface IHazDelivery : IHazPipelines
{
    [Parameter("Deployment environment (Deploy, Rollback)")]
    string DeployEnvironment => GetValue(() => DeployEnvironment, DeployOptions.DefaultEnvironment);

    [Parameter("Where Deploy runs the server: docker or process; default: docker where an engine answers, else process")]
    string? DeployTarget => GetValue<string?>(() => DeployTarget, null);

    [Parameter("The stable port the deployed server answers on (http://127.0.0.1:PORT)", Min = 1, Max = 65535)]
    int ServePort => GetValue(() => ServePort, DeployOptions.DefaultPort);

    [Parameter("OCI registry (host:port) Package pushes the image to; none: no push")]
    string? ImageRegistry => GetValue<string?>(() => ImageRegistry, null);

    /// <summary>The model server's project, published into every image.</summary>
    AbsolutePath ServerProject => RootDirectory / "src" / "MLOps.Pipelines.Serving.Host" / "MLOps.Pipelines.Serving.Host.csproj";

    DeployOptions DeployOptions => new(DeployEnvironment, DeployTarget, ServePort);

    /// <summary>
    /// The pipeline's delivery settings. Each pipeline has its own work folder: instances of one family run in
    /// parallel, and a shared server publish or layer cache would be written by two of them at once.
    /// </summary>
    DeliverySettings DeliveryOf(PipelineDefinition pipeline) =>
        new(pipeline, ArtifactsOf(pipeline).Prepared, ArtifactsOf(pipeline).IngestedData, ServerProject,
            RootDirectory / ".nuke" / "temp" / "delivery" / pipeline.Name);
}
