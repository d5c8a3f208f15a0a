using DataSchemas;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.TestPipelines;

/// <summary>
/// IBM Telco customers as the ML tests use them: the raw schema shared through <c>data/schemas</c>, the churn label
/// and the 19 features the tests' expectations rest on. The features are the tests' own (not a reference to
/// pipelines/), so tuning the repository's pipeline cannot move an ML test; training defaults stay the library's.
/// </summary>
internal static class CustomerChurnPipeline
{
    private static readonly string[] NumericColumns =
        ["female", "senior_citizen", "partner", "dependents", "tenure", "phone_service", "paperless_billing", "monthly_charges", "total_charges"];

    private static readonly string[] CategoricalColumns =
        ["multiple_lines", "internet_service", "online_security", "online_backup", "device_protection", "tech_support",
         "streaming_tv", "streaming_movies", "contract", "payment_method"];

    public static PipelineDefinition Definition { get; } = new("CustomerChurn", TelcoChurnSchema.RawFile, "customer-churn",
        TelcoChurnSchema.Contract with { Label = "churn" },
        new FeatureDefinition(
        [
            .. NumericColumns.Select(c => FeatureColumn.Numeric(c)),
            .. CategoricalColumns.Select(c => FeatureColumn.Categorical(c)),
            FeatureColumn.Label("churn", chunk => Array.ConvertAll(chunk.Strings("churn"), c => c is null ? (bool?)null : c == "Yes")),
        ],
        groups: ["female", "senior_citizen"]));
}
