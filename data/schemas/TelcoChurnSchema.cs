using MLOps.Pipelines.ML.Data;

namespace DataSchemas;

/// <summary>
/// The columns of <c>data/telco-churn.csv</c> as Ingest checks them: one definition beside the data, compiled into
/// the pipelines (CustomerChurn) and the ML library's tests, which stay independent of pipelines/.
/// </summary>
internal static class TelcoChurnSchema
{
    public const string RawFile = "telco-churn.csv";

    private static readonly string[] YesNo = ["Yes", "No"];
    private static readonly string[] InternetAddOn = ["Yes", "No", "No internet service"];

    public static SchemaContract Contract { get; } = new("telco-churn", [
        ColumnContract.Categorical("churn", YesNo),
        ColumnContract.Int64("female", 0, 1),
        ColumnContract.Int64("senior_citizen", 0, 1),
        ColumnContract.Int64("partner", 0, 1),
        ColumnContract.Int64("dependents", 0, 1),
        ColumnContract.Int64("tenure", 0, 120), // months
        ColumnContract.Int64("phone_service", 0, 1),
        ColumnContract.Categorical("multiple_lines", "Yes", "No", "No phone service"),
        ColumnContract.Categorical("internet_service", "DSL", "Fiber optic", "No"),
        ColumnContract.Categorical("online_security", InternetAddOn),
        ColumnContract.Categorical("online_backup", InternetAddOn),
        ColumnContract.Categorical("device_protection", InternetAddOn),
        ColumnContract.Categorical("tech_support", InternetAddOn),
        ColumnContract.Categorical("streaming_tv", InternetAddOn),
        ColumnContract.Categorical("streaming_movies", InternetAddOn),
        ColumnContract.Categorical("contract", "Month-to-month", "One year", "Two year"),
        ColumnContract.Int64("paperless_billing", 0, 1),
        ColumnContract.Categorical("payment_method", "Electronic check", "Mailed check", "Bank transfer (automatic)", "Credit card (automatic)"),
        ColumnContract.Double("monthly_charges", 0, 500),
        ColumnContract.Double("total_charges", 0, 100_000) with { Nullable = true },
    ]);
}
