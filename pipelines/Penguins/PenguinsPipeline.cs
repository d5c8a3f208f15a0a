using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace Pipelines.Penguins;

/// <summary>
/// Palmer penguins (344 rows, 19 NA cells): small enough for fast tests of every stage. Binary task: is the penguin
/// male? Rows with sex NA are kept by Ingest (sex is nullable) and dropped by Prepare (no label).
/// </summary>
public static class PenguinsPipeline
{
    public const string RawFile = "penguins.csv";

    public static SchemaContract Schema { get; } = new("penguins", [
        ColumnContract.Categorical("species", "Adelie", "Chinstrap", "Gentoo"),
        ColumnContract.Categorical("island", "Biscoe", "Dream", "Torgersen"),
        ColumnContract.Double("bill_length_mm", 10, 100) with { Nullable = true },
        ColumnContract.Double("bill_depth_mm", 5, 40) with { Nullable = true },
        ColumnContract.Double("flipper_length_mm", 100, 300) with { Nullable = true },
        ColumnContract.Double("body_mass_g", 1000, 10_000) with { Nullable = true },
        ColumnContract.Categorical("sex", "male", "female") with { Nullable = true },
        ColumnContract.Int64("year", 2007, 2009),
    ])
    { Label = "sex" };

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

    /// <summary>Ingest and Prepare with this schema and these features.</summary>
    public static DataStages Stages { get; } = new(Schema, Features);
}
