using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Reports;
using MLOps.Pipelines.ML.Stages;
using System.Globalization;
using System.Text.Json;

namespace MLOps.Pipelines.ML.Governance;

/// <summary>
/// Gathers a version's card from what already exists: the registry (lineage, aliases, alias history), Ingest's
/// quality.json, Evaluate's metrics.json (overall and by group), Explain's importance.json and Monitor's reports.
/// A missing required artifact is an error naming the file and the target that writes it.
/// </summary>
public static class ModelCardBuilder
{
    static readonly string[] Headline = ["auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier", "threshold"];
    static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ModelCard Build(ModelCardInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (string.IsNullOrWhiteSpace(inputs.IntendedUse))
            throw new ArgumentException("A model card needs the model's intended use: pass the pipeline's description.", nameof(inputs));
        var version = inputs.Registry.Get(inputs.Version);
        var aliases = inputs.Registry.AliasesOf(version.Version);
        var qualityPath = Require(Path.Combine(inputs.IngestDirectory, IngestStage.QualityFile), "Ingest");
        var quality = DataQualityReport.Read(qualityPath);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Require(Path.Combine(inputs.EvaluationDirectory, "metrics.json"), "Evaluate")));
        var importances = ImportanceReport.Read(Require(Path.Combine(inputs.ExplainDirectory, ImportanceReport.FileName), "Explain")).Features;

        var model = inputs.Registry.ModelName;
        return new ModelCard(
            $"Model card: {model} v{version.Version}",
            [
                new("Model", $"{model} v{version.Version}"),
                new("Aliases", aliases.Count == 0 ? "none" : string.Join(", ", aliases)),
                new("Registered", $"{Time(version.CreatedAt)} by {version.CreatedBy}"),
                new("Model file", $"{version.ModelFileName}, {N(version.ModelBytes)} bytes, sha256 {version.ModelSha256}"),
            ],
            [
                new("Intended use", [inputs.IntendedUse.Trim()], []),
                TrainingData(version, quality, qualityPath, inputs.IngestDirectory),
                Metrics(metrics.RootElement),
                Fairness(metrics.RootElement),
                Explanations(importances),
                Drift(inputs.MonitorReports ?? []),
                Lineage(version),
                Approvals(inputs.Registry, version.Version, aliases),
            ]);
    }

    static ModelCardSection TrainingData(ModelVersion version, DataQualityReport q, string qualityPath, string ingestDirectory)
    {
        var digests = version.DataDigests.Select(d => (IReadOnlyList<string>)[d.Key, d.Value, "registered lineage (pipelines.lock)"]).ToList();
        digests.Add([Path.GetFileName(qualityPath), "sha256:" + Sha256Digest.OfFile(qualityPath), "the quality report below"]);
        var data = Path.Combine(ingestDirectory, IngestStage.DataFile);
        if (File.Exists(data)) digests.Add([IngestStage.DataFile, "sha256:" + Sha256Digest.OfFile(data), "the typed data Ingest accepted"]);
        return new ModelCardSection("Training data",
            [
                $"Ingested from {q.File} under the contract '{q.Contract}': {N(q.RowsRead)} rows read, {N(q.RowsAccepted)} accepted, " +
                $"{N(q.RowsRejected)} rejected ({q.RejectedFraction.ToString("P2", CultureInfo.InvariantCulture)}), {N(q.DuplicateRows)} duplicates.",
                .. q.ViolationsByRule.Count == 0 ? Array.Empty<string>() : [$"Quarantined by rule: {string.Join(", ", q.ViolationsByRule.Select(v => $"{v.Key} ({N(v.Value)})"))}."],
            ],
            [
                new ReportTable("Data digests", ["data", "digest", "what"], digests),
                new ReportTable("Columns of the accepted rows", ["column", "type", "nulls", "violations", "min", "max", "mean", "distinct"],
                    [.. q.Columns.Select(c => (IReadOnlyList<string>)
                    [
                        c.Name, c.Type.ToString(), N(c.Nulls), N(c.Violations),
                        c.Min is { } min ? F(min) : "", c.Max is { } max ? F(max) : "", c.Mean is { } mean ? F(mean) : "",
                        c.Distinct is { } d ? N(d) : "",
                    ])]),
            ]);
    }

    static ModelCardSection Metrics(JsonElement root) => new("Metrics",
        [$"On {Number(root, "rows")} held-out test rows (positive rate {Number(root, "positive_rate")})."],
        [new ReportTable("Overall", ["metric", "value"],
            [.. Headline.Where(m => root.TryGetProperty(m, out var v) && v.ValueKind == JsonValueKind.Number)
                .Select(m => (IReadOnlyList<string>)[m, Number(root, m)])])]);

    static ModelCardSection Fairness(JsonElement root)
    {
        if (!root.TryGetProperty("groups", out var groups) || !groups.EnumerateObject().Any())
            return new("Metrics by group (fairness)", ["No group columns were evaluated for this model."], []);
        return new("Metrics by group (fairness)",
            ["Demographic-parity difference: the largest gap in predicted positive rate between a column's values; equal-opportunity difference: the largest gap in true positive rate."],
            [.. groups.EnumerateObject().Select(g => new ReportTable(
                $"By {g.Name}: demographic-parity difference {Number(g.Value, "demographic_parity_difference")}, equal-opportunity difference {Number(g.Value, "equal_opportunity_difference")}",
                ["value", "rows", "positive rate", "predicted positive rate", "true positive rate", "AUC"],
                [.. g.Value.GetProperty("slices").EnumerateObject().Select(s => (IReadOnlyList<string>)
                [
                    s.Name, Number(s.Value, "rows"), Number(s.Value, "positive_rate"), Number(s.Value, "predicted_positive_rate"),
                    Number(s.Value, "true_positive_rate"), Number(s.Value, "auc"),
                ])]))]);
    }

    static ModelCardSection Explanations(IReadOnlyList<FeatureImportance> importances) => new("Explanations",
        ["Permutation importance: how much the test metric worsens when one raw input column is shuffled (mean ± standard deviation over repeats)."],
        [new ReportTable("Permutation importance", ["rank", "feature", "kind", "metric", "drop", "± std"],
            [.. importances.OrderBy(i => i.Rank).Select(i => (IReadOnlyList<string>)[N(i.Rank), i.Feature, i.Kind, i.Metric, F(i.Drop), F(i.DropStdDev)])])]);

    static ModelCardSection Drift(IReadOnlyList<string> reports) => DriftHistory.Read(reports) is { } table
        ? new("Drift history", [], [table])
        : new("Drift history", ["No monitoring report has been recorded for this version yet."], []);

    static ModelCardSection Lineage(ModelVersion version) => new("Lineage",
        ["The data digests are under Training data; together with the code fingerprint and the parameters they identify the training run."],
        [
            new ReportTable("Provenance", ["item", "value"],
            [
                ["code fingerprint (Train target)", version.CodeFingerprint],
                ["git commit", version.GitCommit],
                ["model sha256", version.ModelSha256],
            ]),
            new ReportTable("Parameters", ["parameter", "value"],
                [.. version.Parameters.Select(p => (IReadOnlyList<string>)[p.Key, p.Value])]),
        ]);

    static ModelCardSection Approvals(ModelRegistry registry, int version, IReadOnlyList<string> aliases)
    {
        var moves = registry.History().Where(m => m.To == version || m.From == version).ToList();
        var paragraph = aliases.Count == 0 ? $"No alias points at v{version} now." : $"Now: {string.Join(", ", aliases)}.";
        if (moves.Count == 0) return new("Approvals", [paragraph, "No alias has ever pointed at this version."], []);
        return new("Approvals", [paragraph],
            [new ReportTable("Alias moves to or from this version (the registry's history)", ["when", "alias", "move", "kind", "by", "why"],
                [.. moves.Select(m => (IReadOnlyList<string>)
                [
                    Time(m.At), m.Alias, $"{(m.From is { } from ? "v" + from.ToString(CultureInfo.InvariantCulture) : "(unset)")} → v{m.To}",
                    m.Kind.ToString(), m.By, m.Why,
                ])])]);
    }

    static string Require(string path, string target) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist: run {target} first; the model card reads it.", path);

    static string Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? F(v.GetDouble()) : "—";

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
