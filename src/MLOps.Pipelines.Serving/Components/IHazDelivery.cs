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

    [Parameter("Where Deploy runs the server: docker or process; default: docker where an engine answers (DOCKER_HOST or the default socket), else process")]
    string? DeployTarget => GetValue<string?>(() => DeployTarget, null);

    [Parameter("The stable port of the first pipeline's server (http://127.0.0.1:PORT); each further pipeline takes the next port", Min = 1, Max = 65535)]
    int ServePort => GetValue(() => ServePort, DeployOptions.DefaultPort);

    [Parameter("OCI registry (host:port) Package pushes the image to; none: no push (plain HTTP only on loopback)")]
    string? ImageRegistry => GetValue<string?>(() => ImageRegistry, null);

    [Parameter("Base image of the server image: an OCI image layout directory; default: a small glibc base made from this host's libraries")]
    string? BaseImage => GetValue<string?>(() => BaseImage, null);

    [Parameter("The model server's project Package publishes; default: src/MLOps.Pipelines.Serving.Host/MLOps.Pipelines.Serving.Host.csproj under the root")]
    string? ServerProject => GetValue<string?>(() => ServerProject, null);

    /// <summary>
    /// One server per pipeline, each on its own stable port: <c>--serve-port</c> for the first pipeline of
    /// <see cref="IHazPipelines.Pipelines"/>, the next port for the second, and so on (docs/delivery.md says why).
    /// </summary>
    int ServePortOf(PipelineDefinition pipeline)
    {
        var index = Pipelines.ToList().FindIndex(p => p.Name == pipeline.Name);
        var port = ServePort + Math.Max(0, index);
        return port <= 65535 ? port : throw new ArgumentException($"--serve-port {ServePort}: pipeline {pipeline.Name} would need port {port}; choose a port at most {65535 - index}");
    }

    DeployOptions DeployOptionsOf(PipelineDefinition pipeline) => new(DeployEnvironment, DeployTarget, ServePortOf(pipeline));

    /// <summary>
    /// The pipeline's delivery settings. Each pipeline has its own work folder, <c>artifacts/delivery/&lt;pipeline&gt;/</c>
    /// (its model, images, a hard-linked view of the server, deployment state). Not under .nuke/: CI hands it from
    /// Package's job to Deploy's. What every pipeline's Package shares — one server publish per source state, the host
    /// base, the layer cache — is in <c>artifacts/delivery/.shared/</c>, written atomically or under a lock because the
    /// instances run in parallel; hidden, so artifact uploads (which skip hidden folders) do not carry it twice.
    /// </summary>
    DeliverySettings DeliveryOf(PipelineDefinition pipeline) =>
        new(pipeline, ArtifactsOf(pipeline).Prepared, ArtifactsOf(pipeline).IngestedData,
            Path.GetFullPath(ServerProject ?? RootDirectory / "src" / "MLOps.Pipelines.Serving.Host" / "MLOps.Pipelines.Serving.Host.csproj"),
            ArtifactsDirectory / "delivery" / pipeline.Name)
        {
            BaseImageLayout = BaseImage is { } layout ? Path.GetFullPath(layout) : null,
            SharedDirectory = ArtifactsDirectory / "delivery" / ".shared",
        };
}
