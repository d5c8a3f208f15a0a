using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// The churn schema and features as the ML tests need them (independent of pipelines/). IBM Telco customers: will the customer churn? Ingest: <c>data/telco-churn.csv</c> → data.parquet, quality.json,
/// quarantine.csv. Prepare: → train.parquet, test.parquet (random 80/20, seed 42). The 11 empty
/// <c>total_charges</c> (customers in their first month) stay missing: NaN in the prepared float column.
/// </summary>
internal static class CustomerChurnPipeline
{
    public const string RawFile = TelcoChurnSchema.RawFile;

    public static SchemaContract Schema { get; } = TelcoChurnSchema.Contract with { Label = "churn" };

    private static readonly string[] NumericColumns =
        ["female", "senior_citizen", "partner", "dependents", "tenure", "phone_service", "paperless_billing", "monthly_charges", "total_charges"];

    private static readonly string[] CategoricalColumns =
        ["multiple_lines", "internet_service", "online_security", "online_backup", "device_protection", "tech_support",
         "streaming_tv", "streaming_movies", "contract", "payment_method"];

    public static FeatureDefinition Features { get; } = new(
    [
        .. NumericColumns.Select(c => FeatureColumn.Numeric(c)),
        .. CategoricalColumns.Select(c => FeatureColumn.Categorical(c)),
        FeatureColumn.Label("churn", chunk => Array.ConvertAll(chunk.Strings("churn"), c => c is null ? (bool?)null : c == "Yes")),
    ],
    groups: ["female", "senior_citizen"]);

    public static DataStages Stages { get; } = new(Schema, Features);

    public static PipelineDefinition Definition { get; } = new("CustomerChurn", RawFile, "customer-churn", Schema, Features);
}
