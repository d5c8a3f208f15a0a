using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace Pipelines.Penguins;

/// <summary>
/// Palmer penguins (344 rows, 19 NA cells): which species, Adelie, Chinstrap or Gentoo? A multiclass pipeline judged by
/// macro-F1 (the gate) and log-loss (promotion: a challenger must be better calibrated). The two rows without any
/// measurement are kept by Ingest (the columns are nullable) and imputed by the model.
/// </summary>
public static class PenguinsPipeline
{
    private static readonly SchemaContract Schema = PenguinsSchema.Contract with { Label = "species" };

    private static readonly FeatureDefinition Features = new(
    [
        FeatureColumn.Numeric("bill_length_mm"),
        FeatureColumn.Numeric("bill_depth_mm"),
        FeatureColumn.Numeric("flipper_length_mm"),
        FeatureColumn.Numeric("body_mass_g"),
        FeatureColumn.Categorical("island"),
        FeatureColumn.Categorical("sex"),
        FeatureColumn.ClassLabel("species", source: "species"),
    ]);

    /// <summary>275 training rows: few small trees, small leaves, one-hot categoricals.</summary>
    public static PipelineDefinition Definition { get; } = new("Penguins", PenguinsSchema.RawFile, "penguins", Schema, Features)
    {
        IntendedUse = "Identify the species (Adelie, Chinstrap, Gentoo) of a Palmer Archipelago penguin from its measurements, for teaching and field checks. Not for other islands or species.",
        Training = new TrainingOptions(TrainerKind.LightGbm, Trees: 100, Leaves: 4, LearningRate: 0.1, MinExamplesPerLeaf: 5, Categorical: CategoricalHandling.OneHot),
        GateMetric = "macro_f1",
        GateThreshold = 0.9,
        PromotionMetric = "log_loss",
    };
}
