using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// Palmer penguins (344 rows, 19 NA cells) as the ML tests use them, on the raw schema shared through
/// <c>data/schemas</c>: a multiclass task (which species?) with its own gate and promotion metrics, and a binary one
/// (is the penguin male? Prepare drops the rows whose sex is NA).
/// </summary>
internal static class PenguinsPipeline
{
    private static readonly FeatureColumn[] Measurements =
    [
        FeatureColumn.Numeric("bill_length_mm"),
        FeatureColumn.Numeric("bill_depth_mm"),
        FeatureColumn.Numeric("flipper_length_mm"),
        FeatureColumn.Numeric("body_mass_g"),
    ];

    /// <summary>Which species: a multiclass label from a categorical column, gated on macro-F1, promoted on log-loss.</summary>
    public static PipelineDefinition Species { get; } = new("Penguins", PenguinsSchema.RawFile, "penguins",
        PenguinsSchema.Contract with { Label = "species" },
        new FeatureDefinition(
        [
            .. Measurements,
            FeatureColumn.Categorical("island"),
            FeatureColumn.Categorical("sex"),
            FeatureColumn.ClassLabel("species", source: "species"),
        ]))
    {
        GateMetric = "macro_f1",
        GateThreshold = 0.9,
        PromotionMetric = "log_loss",
    };

    /// <summary>Is the penguin male: a binary label, fairness groups by species.</summary>
    public static PipelineDefinition Sex { get; } = new("PenguinsSex", PenguinsSchema.RawFile, "penguins-sex",
        PenguinsSchema.Contract with { Label = "sex" },
        new FeatureDefinition(
        [
            .. Measurements,
            FeatureColumn.Categorical("species"),
            FeatureColumn.Categorical("island"),
            FeatureColumn.Label("male", chunk => Array.ConvertAll(chunk.Strings("sex"), s => s is null ? (bool?)null : s == "male")),
        ],
        groups: ["species"]));
}
