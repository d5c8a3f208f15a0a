using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>metrics.json</c>, which Evaluate writes and Register, Report and Package read: the task, the test row count and
/// the task's metrics (binary: AUC, PR-AUC, accuracy, precision, recall, F1, log-loss, Brier, the confusion counts and
/// fairness by group; multiclass: micro/macro accuracy, macro-F1, log-loss, per-class metrics and the confusion
/// matrix). Values are rounded to 6 decimals so the file diffs cleanly and a re-run writes the same bytes.
/// </summary>
public sealed record MetricsReport
{
    public const string FileName = "metrics.json";

    public TaskKind Task { get; init; }
    public long Rows { get; init; }

    // ---- binary ----
    public double? PositiveRate { get; init; }
    public double? Threshold { get; init; }
    public double? Auc { get; init; }
    public double? PrAuc { get; init; }
    public double? Accuracy { get; init; }
    public double? Precision { get; init; }
    public double? Recall { get; init; }
    public double? F1 { get; init; }

    // ---- both ----
    public double? LogLoss { get; init; }

    // ---- binary ----
    public double? Brier { get; init; }
    public BinaryConfusionCounts? ConfusionMatrix { get; init; }
    public IReadOnlyDictionary<string, GroupReport>? Groups { get; init; }

    // ---- multiclass ----
    public double? MicroAccuracy { get; init; }
    public double? MacroAccuracy { get; init; }
    public double? MacroF1 { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }
    public IReadOnlyList<ClassReport>? PerClass { get; init; }

    /// <summary>Multiclass: rows of actual classes, columns of predicted ones, in the order of <see cref="Classes"/>.</summary>
    public IReadOnlyList<IReadOnlyList<long>>? Confusion { get; init; }

    public static MetricsReport From(BinaryMetrics m, IReadOnlyList<GroupMetrics> groups)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(groups);
        return new MetricsReport
        {
            Task = TaskKind.Binary,
            Rows = m.Rows,
            PositiveRate = R(m.PositiveRate),
            Threshold = R(m.Threshold),
            Auc = R(m.Auc),
            PrAuc = R(m.PrAuc),
            Accuracy = R(m.Accuracy),
            Precision = R(m.Precision),
            Recall = R(m.Recall),
            F1 = R(m.F1),
            LogLoss = R(m.LogLoss),
            Brier = R(m.Brier),
            ConfusionMatrix = new(m.Confusion.TruePositives, m.Confusion.FalsePositives, m.Confusion.TrueNegatives, m.Confusion.FalseNegatives),
            Groups = groups.ToDictionary(g => g.Column, g => new GroupReport(
                R(g.DemographicParityDifference), R(g.EqualOpportunityDifference),
                g.Slices.ToDictionary(s => s.Value, s => new SliceReport(s.Rows, R(s.PositiveRate), R(s.PredictedPositiveRate), R(s.TruePositiveRate), R(s.Auc)), StringComparer.Ordinal)),
                StringComparer.Ordinal),
        };
    }

    public static MetricsReport From(MulticlassMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new MetricsReport
        {
            Task = TaskKind.Multiclass,
            Rows = m.Rows,
            LogLoss = R(m.LogLoss),
            MicroAccuracy = R(m.MicroAccuracy),
            MacroAccuracy = R(m.MacroAccuracy),
            MacroF1 = R(m.MacroF1),
            Classes = m.Classes,
            PerClass = [.. m.PerClass.Select(c => new ClassReport(c.Class, c.Support, R(c.Precision), R(c.Recall), R(c.F1)))],
            Confusion = m.Confusion,
        };
    }

    /// <summary>A metric by its name in the file ("auc", "macro_f1", "log_loss", …); null when this task has no such metric.</summary>
    public double? this[string metric] => metric switch
    {
        "positive_rate" => PositiveRate,
        "threshold" => Threshold,
        "auc" => Auc,
        "pr_auc" => PrAuc,
        "accuracy" => Accuracy,
        "precision" => Precision,
        "recall" => Recall,
        "f1" => F1,
        "log_loss" => LogLoss,
        "brier" => Brier,
        "micro_accuracy" => MicroAccuracy,
        "macro_accuracy" => MacroAccuracy,
        "macro_f1" => MacroF1,
        _ => null,
    };

    /// <summary>The task's headline metrics (what the lock and the registry record), in name order.</summary>
    public SortedDictionary<string, double> Headline()
    {
        var headline = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in ModelTask.Of(Task).HeadlineMetrics)
            if (this[name] is { } value) headline[name] = value;
        return headline;
    }

    public static MetricsReport Read(string path) => ArtifactJson.Read<MetricsReport>(path, "Evaluate");

    public void Write(string path) => ArtifactJson.Write(path, this);

    public override string ToString() => ArtifactJson.Serialize(this);

    static double? R(double value) => ArtifactJson.Round(value);

    static double? R(double? value) => ArtifactJson.Round(value);
}

