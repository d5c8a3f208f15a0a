using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// Palmer penguins (344 rows, 19 NA cells) as the ML tests need them: a binary task (is the penguin male? rows with sex
/// NA are dropped by Prepare) and a multiclass one (which species?).
/// </summary>
internal static class PenguinsPipeline
{
    public const string RawFile = PenguinsSchema.RawFile;

    public static SchemaContract Schema { get; } = PenguinsSchema.Contract with { Label = "sex" };

    public static FeatureDefinition Features { get; } = new(
    [
        FeatureColumn.Numeric("bill_length_mm"),
        FeatureColumn.Numeric("bill_depth_mm"),
        FeatureColumn.Numeric("flipper_length_mm"),
        FeatureColumn.Numeric("body_mass_g"),
        FeatureColumn.Categorical("species"),
        FeatureColumn.Categorical("island"),
        FeatureColumn.Label("male", chunk => Array.ConvertAll(chunk.Strings("sex"), s => s is null ? (bool?)null : s == "male")),
    ],
    groups: ["species"]);

    public static DataStages Stages { get; } = new(Schema, Features);

    /// <summary>Which species: a multiclass label from a categorical column.</summary>
    public static FeatureDefinition SpeciesFeatures { get; } = new(
    [
        FeatureColumn.Numeric("bill_length_mm"),
        FeatureColumn.Numeric("bill_depth_mm"),
        FeatureColumn.Numeric("flipper_length_mm"),
        FeatureColumn.Numeric("body_mass_g"),
        FeatureColumn.Categorical("island"),
        FeatureColumn.Categorical("sex"),
        FeatureColumn.ClassLabel("species", source: "species"),
    ]);

    public static PipelineDefinition Species { get; } = new("Penguins", RawFile, "penguins", Schema with { Label = "species" }, SpeciesFeatures)
    {
        GateMetric = "macro_f1",
        GateThreshold = 0.9,
        PromotionMetric = "log_loss",
    };
}
