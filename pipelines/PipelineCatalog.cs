using MLOps.Pipelines.ML.Catalog;
using Pipelines.CustomerChurn;
using Pipelines.FlightDelays;
using Pipelines.Penguins;

namespace Pipelines;

/// <summary>
/// This repository's pipelines: each is one <see cref="PipelineDefinition"/> in its own folder and one line here. The
/// build runs every stage once per pipeline (<c>Train@FlightDelays</c>, <c>Train@CustomerChurn</c>, <c>Train@Penguins</c>).
/// </summary>
public static class PipelineCatalog
{
    public static IReadOnlyList<PipelineDefinition> All { get; } =
    [
        FlightDelaysPipeline.Definition,
        CustomerChurnPipeline.Definition,
        PenguinsPipeline.Definition,
    ];

    /// <summary>The definition named <paramref name="name"/> (e.g. <c>Penguins</c>).</summary>
    public static PipelineDefinition Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"Pipeline {name} is not in the catalog ({string.Join(", ", All.Select(p => p.Name))}); add its definition to PipelineCatalog.All.");
}
