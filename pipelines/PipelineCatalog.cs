using MLOps.Pipelines.ML.Catalog;
using Pipelines.CustomerChurn;
using Pipelines.FlightDelays;
using Pipelines.Penguins;

namespace Pipelines;

/// <summary>This repository's pipelines, selectable with <c>--pipeline</c>: one line here and one in the catalog below per pipeline.</summary>
public enum Pipeline
{
    FlightDelays,
    CustomerChurn,
    Penguins,
}

/// <summary>This repository's pipelines: each is one <see cref="PipelineDefinition"/> in its own folder, one line here.</summary>
public static class PipelineCatalog
{
    static readonly Dictionary<Pipeline, PipelineDefinition> Definitions = new()
    {
        [Pipeline.FlightDelays] = FlightDelaysPipeline.Definition,
        [Pipeline.CustomerChurn] = CustomerChurnPipeline.Definition,
        [Pipeline.Penguins] = PenguinsPipeline.Definition,
    };

    public static IReadOnlyCollection<Pipeline> All => Definitions.Keys;

    public static PipelineDefinition Get(Pipeline pipeline) =>
        Definitions.TryGetValue(pipeline, out var definition)
            ? definition
            : throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, $"Pipeline {pipeline} is not in the catalog; add its definition to PipelineCatalog.");
}
