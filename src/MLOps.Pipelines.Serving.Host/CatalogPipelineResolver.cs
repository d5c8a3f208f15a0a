using MLOps.Pipelines.ML.Export;
using Pipelines;

namespace MLOps.Pipelines.Serving.Host;

/// <summary>
/// Resolves model.json's <c>pipeline</c> through this repository's <see cref="PipelineCatalog"/>: by the pipeline's
/// name (<c>CustomerChurn</c>, case-insensitive) or, failing that, by its registry model name (<c>customer-churn</c>).
/// </summary>
internal static class CatalogPipelineResolver
{
    public static PipelineFeatures? Resolve(ServingManifest manifest)
    {
        foreach (var definition in PipelineCatalog.All)
        {
            if (string.Equals(definition.Name, manifest.Pipeline, StringComparison.OrdinalIgnoreCase)
                || string.Equals(definition.ModelName, manifest.Pipeline, StringComparison.Ordinal))
                return new PipelineFeatures(definition.Schema, definition.Features);
        }

        return null;
    }

    public static IEnumerable<string> Known => PipelineCatalog.All.Select(p => p.Name);
}
