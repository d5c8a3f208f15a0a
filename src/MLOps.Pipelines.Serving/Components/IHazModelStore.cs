using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Components;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.Serving.ModelStore;

namespace MLOps.Pipelines.Serving.Components;

/// <summary>
/// Where every stage keeps and finds model binaries, by configuration: <c>--model-store oci://host:port/repository</c>
/// makes Register push each registered binary to that OCI registry as an artifact (and record where in
/// <c>registry.json</c>), and Package, Rollback and Monitor fetch it from there by digest, verified, on a runner that
/// never saw it. Without it, the local <c>.nuke/cache/models</c>. It lives here, not in the ML library, because the
/// OCI client is the Containers library's, which the ML library must not reference.
/// </summary>
public interface IHazModelStore : IHazPipelines
{
    [Parameter("Where model binaries are stored and fetched by digest: oci://host:port/repository (an OCI registry, as artifacts) or a folder; default: .nuke/cache/models")]
    string? ModelStore => GetValue<string?>(() => ModelStore, null);

    IModelBlobStore IHazPipelines.ModelStoreOf(PipelineDefinition pipeline) => ModelStores.Open(ModelStore, RootDirectory, pipeline.ModelName);
}
