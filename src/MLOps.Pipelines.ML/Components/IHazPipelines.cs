using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The base of the stage components (Nuke.Components' <c>IHazConfiguration</c> shape): the pipelines a build runs.
/// Every stage target is a family over them — <c>Train@FlightDelays</c>, <c>Train@CustomerChurn</c> — each instance
/// with its own artifacts folder (<see cref="ArtifactsOf"/>), registry (<see cref="RegistryOf"/>) and lock entry.
/// </summary>
public interface IHazPipelines : IPipelineBuild
{
    /// <summary>The pipelines, in the order <c>--help</c> and CI list their instances; a key's name is the pipeline's name.</summary>
    IReadOnlyList<PipelineDefinition> Pipelines { get; }

    /// <summary>Every path the pipeline's stages read or write: <c>artifacts/&lt;model&gt;/…</c> and <c>models/&lt;model&gt;/registry.json</c>.</summary>
    PipelineArtifacts ArtifactsOf(PipelineDefinition pipeline) => pipeline.Artifacts(RootDirectory, ArtifactsDirectory);

    /// <summary>The pipeline's model registry (metadata under <c>models/&lt;model&gt;/</c>, binaries in <see cref="ModelStoreOf"/>).</summary>
    ModelRegistry RegistryOf(PipelineDefinition pipeline) =>
        ModelRegistry.ForModel(RootDirectory, pipeline.ModelName, ModelStoreOf(pipeline));

    /// <summary>
    /// Where the pipeline's model binaries live: this machine's <c>.nuke/cache/models</c> unless a component that knows a
    /// shared store overrides it (the Serving library's <c>IHazModelStore</c>: <c>--model-store oci://host:port/repository</c>).
    /// </summary>
    IModelBlobStore ModelStoreOf(PipelineDefinition pipeline) => FileSystemModelBlobStore.ForRepository(RootDirectory);
}
