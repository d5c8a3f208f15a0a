using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// US domestic flights, January–June 2001, as the ML tests use them: is a departure more than 15 minutes late? The
/// raw schema is shared through <c>data/schemas</c>; the features (derived date parts, time of day) and the time split
/// (train on January–April; May and June are the test rows and the monitoring batches) are the tests' own.
/// </summary>
internal static class FlightDelaysPipeline
{
    public static PipelineDefinition Definition { get; } = new("FlightDelays", FlightsSchema.RawFile, "flight-delays",
        FlightsSchema.Contract with { Label = "delay" },
        new FeatureDefinition(
        [
            FeatureColumn.Month("month", "date"),
            FeatureColumn.DayOfMonth("day_of_month", "date"),
            FeatureColumn.DayOfWeek("day_of_week", "date"),
            FeatureColumn.Numeric("dep_hour", chunk => Array.ConvertAll(chunk.Timestamps("date"), t => t is { } v ? v.Hour + (v.Minute / 60f) : float.NaN)),
            FeatureColumn.Numeric("distance"),
            FeatureColumn.Categorical("origin"),
            FeatureColumn.Categorical("destination"),
            FeatureColumn.Label("delayed", chunk => Array.ConvertAll(chunk.Int64s("delay"), d => d is { } v ? v > 15 : (bool?)null)),
        ],
        groups: ["origin"]))
    {
        TimeSplit = new TimeSplit("date", new DateTime(2001, 5, 1)),
    };
}
