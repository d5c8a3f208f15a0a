using System.Globalization;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Reports;
using ReportChange = MLOps.Pipelines.ML.Reports.MetricChange;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>Where the stages put what the report shows, and the registered version it is about.</summary>
public sealed record ReportInputs(
    string Title,
    IReadOnlyList<KeyValuePair<string, string>> Summary,
    string IngestDirectory,
    string EvaluationDirectory,
    string ExplainDirectory,
    ModelRegistry Registry,
    int ModelVersion);

/// <summary>
/// Report: one self-contained HTML page per run from the files the stages wrote (quality.json, metrics.json and its
/// plots, metrics-diff.json, importance.json and its plot) and the registry's lineage of the model version.
/// </summary>
public static class ReportStage
{
    public const string ReportFile = "report.html";

    static readonly string[] Headline = ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier"];

    public static AbsolutePath Run(ReportInputs inputs, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var report = Build(inputs);
        return HtmlReport.Write(report, AbsolutePath.Create(Path.GetFullPath(outputPath)));
    }

    public static RunReport Build(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var metrics = JsonDocument.Parse(ReadRequired(Path.Combine(inputs.EvaluationDirectory, "metrics.json"), "Evaluate"));
        var quality = DataQualityReport.Read(RequirePath(Path.Combine(inputs.IngestDirectory, IngestStage.QualityFile), "Ingest"));
        var version = inputs.Registry.Get(inputs.ModelVersion);
        var root = metrics.RootElement;
        var confusion = root.GetProperty("confusion_matrix");
        var summary = inputs.Summary.Concat(
        [
            new("Model", $"{inputs.Registry.ModelName} v{version.Version}"),
            new("Test rows", root.GetProperty("rows").GetInt64().ToString(CultureInfo.InvariantCulture)),
            new("Confusion matrix (tp / fp / tn / fn)", string.Join(" / ", new[] { "tp", "fp", "tn", "fn" }.Select(k => confusion.GetProperty(k).GetInt64().ToString(CultureInfo.InvariantCulture)))),
        ]).ToArray();

        return new RunReport
        {
            Title = inputs.Title,
            Summary = summary,
            Metrics = [.. Headline.Where(m => root.TryGetProperty(m, out var v) && v.ValueKind == JsonValueKind.Number)
                .Select(m => new ReportMetric(m, root.GetProperty(m).GetDouble()))],
            Plots =
            [
                new("ROC curve", Png(inputs.EvaluationDirectory, "roc.png")),
                new("Precision-recall curve", Png(inputs.EvaluationDirectory, "precision-recall.png")),
                new("Calibration", Png(inputs.EvaluationDirectory, "calibration.png")),
                new("Score histogram", Png(inputs.EvaluationDirectory, "score-histogram.png")),
            ],
            DataQuality = QualityTables(quality),
            Fairness = FairnessTables(root),
            FeatureImportance = ImportanceTable(inputs.ExplainDirectory),
            FeatureImportancePlot = new("Permutation importance", Png(inputs.ExplainDirectory, "importance.png")),
            Lineage = ReportLineage.From(version, inputs.Registry.AliasesOf(version.Version)),
            MetricsDiff = Diff(inputs.EvaluationDirectory),
        };
    }

    static IReadOnlyList<ReportTable> QualityTables(DataQualityReport q) =>
    [
        new($"Rows of {q.File} (contract '{q.Contract}')", ["read", "accepted", "rejected", "rejected share", "duplicates"],
            [[N(q.RowsRead), N(q.RowsAccepted), N(q.RowsRejected), q.RejectedFraction.ToString("P3", CultureInfo.InvariantCulture), N(q.DuplicateRows)]]),
        new("Columns of the accepted rows", ["column", "type", "nulls", "violations", "min", "max", "mean", "distinct", "most frequent"],
            [.. q.Columns.Select(c => (IReadOnlyList<string>)
            [
                c.Name, c.Type.ToString(), N(c.Nulls), N(c.Violations),
                c.Min is { } min ? F(min) : c.Earliest?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                c.Max is { } max ? F(max) : c.Latest?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                c.Mean is { } mean ? F(mean) : "",
                c.Distinct is { } d ? N(d) + (c.DistinctTruncated == true ? "+" : "") : "",
                c.TopCategories is { } top ? string.Join(", ", top.Take(3).Select(t => $"{t.Value} ({N(t.Count)})")) : "",
            ])]),
        .. q.ViolationsByRule.Count == 0 ? [] : new[]
        {
            new ReportTable("Quarantined rows by broken rule", ["rule", "violations"],
                [.. q.ViolationsByRule.Select(kv => (IReadOnlyList<string>)[kv.Key, N(kv.Value)])]),
        },
    ];

    static IReadOnlyList<ReportTable> FairnessTables(JsonElement metrics)
    {
        if (!metrics.TryGetProperty("groups", out var groups)) return [];
        return [.. groups.EnumerateObject().Select(g => new ReportTable(
            $"By {g.Name}: demographic-parity difference {Number(g.Value, "demographic_parity_difference")}, equal-opportunity difference {Number(g.Value, "equal_opportunity_difference")}",
            ["value", "rows", "positive rate", "predicted positive rate", "true positive rate", "AUC"],
            [.. g.Value.GetProperty("slices").EnumerateObject().Select(s => (IReadOnlyList<string>)
            [
                s.Name, Number(s.Value, "rows"), Number(s.Value, "positive_rate"), Number(s.Value, "predicted_positive_rate"),
                Number(s.Value, "true_positive_rate"), Number(s.Value, "auc"),
            ])]))];
    }

    static ReportTable ImportanceTable(string explainDirectory)
    {
        var path = RequirePath(Path.Combine(explainDirectory, "importance.json"), "Explain");
        var rows = JsonSerializer.Deserialize<List<FeatureImportance>>(File.ReadAllText(path),
            new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidDataException($"{path}: not a feature importance table.");
        return new("Permutation importance (AUC drop when the raw column is shuffled)", ["rank", "feature", "kind", "AUC drop", "± std"],
            [.. rows.Select(i => (IReadOnlyList<string>)[N(i.Rank), i.Feature, i.Kind, F(i.AucDrop), F(i.AucDropStdDev)])]);
    }

    /// <summary>The diff against the previous run of this pipeline, or else against the committed lock.</summary>
    static ReportMetricsDiff? Diff(string evaluationDirectory)
    {
        var path = Path.Combine(evaluationDirectory, EvaluateStage.DiffFile);
        if (!File.Exists(path)) return null;
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var (key, label) in new[] { ("previous_run", "the previous run"), ("committed", "the committed pipelines.lock") })
        {
            if (document.RootElement.TryGetProperty(key, out var changes) && changes.ValueKind == JsonValueKind.Array)
            {
                return new ReportMetricsDiff(label, [.. changes.EnumerateArray().Select(c =>
                {
                    var metric = c.GetProperty("Metric").GetString()!;
                    return new ReportChange(metric, Nullable(c, "Old"), Nullable(c, "New"), HeadlineMetrics.HigherIsBetter(metric));
                })]);
            }
        }

        return null;
    }

    static double? Nullable(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? F(v.GetDouble()) : "—";

    static string Png(string directory, string file) => RequirePath(Path.Combine(directory, file), "the stage that draws it");

    static string RequirePath(string path, string stage) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: run {stage} first.", path);

    static string ReadRequired(string path, string stage) => File.ReadAllText(RequirePath(path, stage));

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
