using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using Pipelines.CustomerChurn;
using Pipelines.FlightDelays;

namespace Pipelines;

/// <summary>This repository's pipelines, selectable with <c>--pipeline</c>.</summary>
public enum Pipeline
{
    FlightDelays,
    CustomerChurn,
}

/// <summary>How Prepare splits the rows: <c>--split Random</c> (seeded) or <c>--split Time</c> (later months held out).</summary>
public enum SplitKind
{
    Random,
    Time,
}

/// <summary>
/// What the build needs to know about one pipeline: its raw file under <c>data/</c>, its schema contract, its features,
/// the folder its artifacts go to and the name of its model in the registry.
/// </summary>
/// <param name="TimeSplit">The split by time, or null when the data has no timestamp to split on.</param>
public sealed record PipelineDefinition(
    Pipeline Pipeline,
    string RawFile,
    string Folder,
    string ModelName,
    SchemaContract Schema,
    FeatureDefinition Features,
    TimeSplit? TimeSplit)
{
    public FeatureSpec Spec => Features.Spec;

    /// <summary>The split Prepare uses; throws naming the parameter when the pipeline cannot split that way.</summary>
    public DataSplit Split(SplitKind kind, double trainFraction, int seed)
    {
        if (kind == SplitKind.Time)
        {
            return TimeSplit ?? throw new ArgumentException(
                $"Pipeline {Pipeline} has no timestamp column to split on; use --split Random.", nameof(kind));
        }

        if (!(trainFraction > 0 && trainFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, $"--train-fraction {trainFraction} must be between 0 and 1 (exclusive), e.g. 0.8.");
        if (seed < 0)
            throw new ArgumentOutOfRangeException(nameof(seed), seed, $"--seed {seed} must not be negative.");
        return new RandomSplit(trainFraction, (ulong)seed);
    }
}

public static class PipelineCatalog
{
    static readonly PipelineDefinition FlightDelays = new(
        Pipeline.FlightDelays, FlightDelaysPipeline.RawFile, "flight-delays", "flight-delays",
        FlightDelaysPipeline.Schema, FlightDelaysPipeline.Features, FlightDelaysPipeline.TimeSplit);

    static readonly PipelineDefinition CustomerChurn = new(
        Pipeline.CustomerChurn, CustomerChurnPipeline.RawFile, "customer-churn", "customer-churn",
        CustomerChurnPipeline.Schema, CustomerChurnPipeline.Features, TimeSplit: null);

    public static PipelineDefinition Get(Pipeline pipeline) => pipeline switch
    {
        Pipeline.FlightDelays => FlightDelays,
        Pipeline.CustomerChurn => CustomerChurn,
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, "Unknown pipeline; use FlightDelays or CustomerChurn."),
    };
}
