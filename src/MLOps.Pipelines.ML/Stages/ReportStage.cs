using System.Globalization;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Reports;
using MLOps.Pipelines.ML.Tasks;
using ReportChange = MLOps.Pipelines.ML.Reports.MetricChange;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Report: one self-contained HTML page per run from the files the stages wrote (quality.json, metrics.json and its
/// plots, metrics-diff.json, importance.json and its plot) and the registry's lineage of the model version.
/// </summary>
public static class ReportStage
{
    public const string ReportFile = "report.html";

    public static AbsolutePath Run(ReportInputs inputs, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var report = Build(inputs);
        return HtmlReport.Write(report, AbsolutePath.Create(Path.GetFullPath(outputPath)));
    }

    public static RunReport Build(ReportInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var metrics = MetricsReport.Read(Path.Combine(inputs.EvaluationDirectory, MetricsReport.FileName));
        var quality = DataQualityReport.Read(RequirePath(Path.Combine(inputs.IngestDirectory, IngestStage.QualityFile), "Ingest"));
        var version = inputs.Registry.Get(inputs.ModelVersion);
        var multiclass = metrics.Task == TaskKind.Multiclass;
        var summary = inputs.Summary.Concat(
        [
            new("Model", $"{inputs.Registry.ModelName} v{version.Version}"),
            new("Task", multiclass ? $"multiclass ({string.Join(", ", metrics.Classes ?? [])})" : "binary"),
            new("Test rows", metrics.Rows.ToString(CultureInfo.InvariantCulture)),
            .. metrics.ConfusionMatrix is { } c
                ? new KeyValuePair<string, string>[] { new("Confusion matrix (tp / fp / tn / fn)", $"{N(c.Tp)} / {N(c.Fp)} / {N(c.Tn)} / {N(c.Fn)}") }
                : [],
        ]).ToArray();

        return new RunReport
        {
            Title = inputs.Title,
            Summary = summary,
            Metrics = [.. (multiclass ? MulticlassHeadline : BinaryHeadline).Where(m => metrics[m] is not null).Select(m => new ReportMetric(m, metrics[m]!.Value))],
            Plots = multiclass
                ? [new("Confusion matrix", Png(inputs.EvaluationDirectory, EvaluationWriter.ConfusionMatrixPng))]
                :
                [
                    new("ROC curve", Png(inputs.EvaluationDirectory, "roc.png")),
                    new("Precision-recall curve", Png(inputs.EvaluationDirectory, "precision-recall.png")),
                    new("Calibration", Png(inputs.EvaluationDirectory, "calibration.png")),
                    new("Score histogram", Png(inputs.EvaluationDirectory, "score-histogram.png")),
                ],
            DataQuality = [.. QualityTables(quality), .. ClassTables(metrics)],
            Fairness = FairnessTables(metrics),
            FeatureImportance = ImportanceTable(inputs.ExplainDirectory),
            FeatureImportancePlot = new("Permutation importance", Png(inputs.ExplainDirectory, "importance.png")),
            Lineage = ReportLineage.From(version, inputs.Registry.AliasesOf(version.Version)),
            MetricsDiff = Diff(inputs.EvaluationDirectory),
        };
    }

    static readonly string[] BinaryHeadline = ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier"];
    static readonly string[] MulticlassHeadline = ["macro_f1", "micro_accuracy", "macro_accuracy", "log_loss"];

    /// <summary>A multiclass model's per-class metrics and its confusion matrix as tables.</summary>
    static IReadOnlyList<ReportTable> ClassTables(MetricsReport metrics)
    {
        if (metrics.Task != TaskKind.Multiclass || metrics.PerClass is null || metrics.Classes is null || metrics.Confusion is null) return [];
        return
        [
            new("Metrics per class (one against the rest)", ["class", "test rows", "precision", "recall", "F1"],
                [.. metrics.PerClass.Select(c => (IReadOnlyList<string>)[c.Class, N(c.Support), Opt(c.Precision), Opt(c.Recall), Opt(c.F1)])]),
            new("Confusion matrix (rows: actual class, columns: predicted class)", ["actual \\ predicted", .. metrics.Classes],
                [.. metrics.Classes.Select((c, i) => (IReadOnlyList<string>)[c, .. metrics.Confusion[i].Select(N)])]),
        ];
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

    static IReadOnlyList<ReportTable> FairnessTables(MetricsReport metrics)
    {
        if (metrics.Groups is null) return [];
        return [.. metrics.Groups.Select(g => new ReportTable(
            $"By {g.Key}: demographic-parity difference {Opt(g.Value.DemographicParityDifference)}, equal-opportunity difference {Opt(g.Value.EqualOpportunityDifference)}",
            ["value", "rows", "positive rate", "predicted positive rate", "true positive rate", "AUC"],
            [.. g.Value.Slices.Select(s => (IReadOnlyList<string>)
            [
                s.Key, N(s.Value.Rows), Opt(s.Value.PositiveRate), Opt(s.Value.PredictedPositiveRate),
                Opt(s.Value.TruePositiveRate), Opt(s.Value.Auc),
            ])]))];
    }

    static ReportTable ImportanceTable(string explainDirectory)
    {
        var importance = ImportanceReport.Read(Path.Combine(explainDirectory, ImportanceReport.FileName));
        var metric = ModelTask.Display(importance.Metric);
        return new($"Permutation importance ({metric} drop when the raw column is shuffled)", ["rank", "feature", "kind", $"{metric} drop", "± std"],
            [.. importance.Features.Select(i => (IReadOnlyList<string>)[N(i.Rank), i.Feature, i.Kind, F(i.Drop), F(i.DropStdDev)])]);
    }

    /// <summary>The diff against the previous run of this pipeline, or else against the committed lock.</summary>
    static ReportMetricsDiff? Diff(string evaluationDirectory)
    {
        var path = Path.Combine(evaluationDirectory, MetricsDiffReport.FileName);
        if (!File.Exists(path)) return null;
        var diff = MetricsDiffReport.Read(path);
        foreach (var (changes, label) in new[] { (diff.PreviousRun, "the previous run"), (diff.Committed, "the committed pipelines.lock") })
        {
            if (changes is not null)
                return new ReportMetricsDiff(label, [.. changes.Select(c => new ReportChange(c.Metric, c.Old, c.New, ModelTask.HigherIsBetter(c.Metric)))]);
        }

        return null;
    }

    static string Opt(double? value) => value is { } v ? F(v) : "—";

    static string Png(string directory, string file) => RequirePath(Path.Combine(directory, file), "the stage that draws it");

    static string RequirePath(string path, string stage) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: run {stage} first.", path);

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
