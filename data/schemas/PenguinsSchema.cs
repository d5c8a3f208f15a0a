using MLOps.Pipelines.ML.Data;

namespace DataSchemas;

/// <summary>
/// The columns of <c>data/penguins.csv</c> as Ingest checks them: one definition beside the data, compiled into the
/// pipelines (Penguins) and the ML library's tests, which stay independent of pipelines/.
/// </summary>
internal static class PenguinsSchema
{
    public const string RawFile = "penguins.csv";

    public static SchemaContract Contract { get; } = new("penguins", [
        ColumnContract.Categorical("species", "Adelie", "Chinstrap", "Gentoo"),
        ColumnContract.Categorical("island", "Biscoe", "Dream", "Torgersen"),
        ColumnContract.Double("bill_length_mm", 10, 100) with { Nullable = true },
        ColumnContract.Double("bill_depth_mm", 5, 40) with { Nullable = true },
        ColumnContract.Double("flipper_length_mm", 100, 300) with { Nullable = true },
        ColumnContract.Double("body_mass_g", 1000, 10_000) with { Nullable = true },
        ColumnContract.Categorical("sex", "male", "female") with { Nullable = true },
        ColumnContract.Int64("year", 2007, 2009),
    ]);
}
