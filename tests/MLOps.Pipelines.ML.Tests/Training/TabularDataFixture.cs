using System.Globalization;
using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Tests.Training;

/// <summary>A data set in the prepared-data contract's shape: numeric float, categorical string, label bool (or string: multiclass).</summary>
public sealed record PreparedData(DataFrame Train, DataFrame Test, FeatureSpec Spec);

/// <summary>
/// Loads the repository's real CSVs and converts them to the shape the data helper's Prepare stage writes
/// (float numerics with NaN for missing, string categoricals, bool label), split 80/20 with a fixed seed.
/// </summary>
public static class TabularDataFixture
{
    private static readonly Lazy<PreparedData> ChurnData = new(() => Load(
        "telco-churn.csv",
        new FeatureSpec(
            "churn",
            ["female", "senior_citizen", "partner", "dependents", "tenure", "phone_service", "paperless_billing", "monthly_charges", "total_charges"],
            ["multiple_lines", "internet_service", "online_security", "online_backup", "device_protection", "tech_support",
             "streaming_tv", "streaming_movies", "contract", "payment_method"]),
        labelSource: "churn", positive: "Yes"));

    private static readonly Lazy<PreparedData> PenguinsData = new(() => Load(
        "penguins.csv",
        new FeatureSpec("adelie", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"], ["island", "sex"]),
        labelSource: "species", positive: "Adelie"));

    private static readonly Lazy<PreparedData> SpeciesData = new(() => Load(
        "penguins.csv",
        new FeatureSpec("species", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"], ["island", "sex"]) { Task = TaskKind.Multiclass },
        labelSource: "species", positive: null));

    /// <summary>Penguins, multiclass: label species (Adelie, Chinstrap, Gentoo) as a string.</summary>
    public static PreparedData Species => SpeciesData.Value;

    /// <summary>Telco churn: label churn == "Yes"; 9 numeric (11 missing total_charges), 10 categorical.</summary>
    public static PreparedData Churn => ChurnData.Value;

    /// <summary>Penguins: label species == "Adelie"; 19 missing cells ("NA").</summary>
    public static PreparedData Penguins => PenguinsData.Value;

    /// <summary>The CSV from the repository's data/ folder.</summary>
    public static string DataFile(string name)
    {
        var inRepo = RepositoryRoot.Data(name);
        return File.Exists(inRepo) ? inRepo : throw new FileNotFoundException($"Test data '{name}' not found in data/.", inRepo);
    }

    /// <summary>Rows of a frame in a new frame (same columns).</summary>
    public static DataFrame Rows(DataFrame frame, IReadOnlyList<int> rows) =>
        new(frame.Columns.Select(c => c switch
        {
            PrimitiveDataFrameColumn<float> f => (DataFrameColumn)new PrimitiveDataFrameColumn<float>(c.Name, rows.Select(i => f[i])),
            PrimitiveDataFrameColumn<bool> b => new PrimitiveDataFrameColumn<bool>(c.Name, rows.Select(i => b[i])),
            StringDataFrameColumn s => new StringDataFrameColumn(c.Name, rows.Select(i => s[i])),
            _ => throw new NotSupportedException(c.DataType.Name),
        }));

    /// <summary>A copy of the frame (columns are copied, so tests can change them freely).</summary>
    public static DataFrame Copy(DataFrame frame) => Rows(frame, Enumerable.Range(0, (int)frame.Rows.Count).ToArray());

    /// <param name="positive">The label's positive value (a bool label), or null for the label's text (a multiclass label).</param>
    private static PreparedData Load(string file, FeatureSpec spec, string labelSource, string? positive)
    {
        var path = DataFile(file);
        var header = File.ReadLines(path).First().Split(',').Select(h => h.Trim('"')).ToArray();
        // Every column as text, converted below: LoadCsv reads numbers as float32 and chokes on "NA" otherwise.
        var raw = DataFrame.LoadCsv(path, dataTypes: header.Select(_ => typeof(string)).ToArray(), cultureInfo: CultureInfo.InvariantCulture);
        var columns = new List<DataFrameColumn>
        {
            positive is null
                ? new StringDataFrameColumn(spec.Label, Text(raw, labelSource))
                : new PrimitiveDataFrameColumn<bool>(spec.Label, Text(raw, labelSource).Select(v => v == positive)),
        };
        columns.AddRange(spec.Numeric.Select(n => new PrimitiveDataFrameColumn<float>(n, Text(raw, n).Select(ParseFloat))));
        columns.AddRange(spec.Categorical.Select(c => new StringDataFrameColumn(c, Text(raw, c).Select(v => IsMissing(v) ? null : v))));
        var all = new DataFrame(columns);

        var order = Enumerable.Range(0, (int)all.Rows.Count).ToArray();
        new Random(42).Shuffle(order);
        var cut = order.Length * 4 / 5;
        return new PreparedData(Rows(all, order[..cut]), Rows(all, order[cut..]), spec);
    }

    private static IEnumerable<string?> Text(DataFrame raw, string column) =>
        ((StringDataFrameColumn)raw.Columns[column]).Select(v => v);

    private static bool IsMissing(string? value) => string.IsNullOrEmpty(value) || value == "NA";

    private static float ParseFloat(string? value) =>
        IsMissing(value) ? float.NaN : float.Parse(value!, NumberStyles.Float, CultureInfo.InvariantCulture);
}
