using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MLOps.Pipelines.ML.Governance;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Retraining;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Registry;
using MLOps.Pipelines.ML.Tests.Stages;

namespace MLOps.Pipelines.ML.Tests.Governance;

/// <summary>Cards of real registered versions, from the artifacts the stages wrote on the churn data.</summary>
public sealed class ModelCardTests(ChurnStagesFixture churn) : IClassFixture<ChurnStagesFixture>, IDisposable
{
    const string IntendedUse = "Flags telco customers likely to churn next month, for the retention team's outreach list. Not for pricing or credit decisions.";
    readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    (ModelCardInputs Inputs, string Evaluation, string Explain) RegisterAndDescribe()
    {
        var evaluation = churn.NewDirectory("evaluation");
        var result = EvaluateStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, new EvaluateSettings(new QualityGatePolicy("auc", 0.6, 0.01)), evaluation);
        var explain = churn.NewDirectory("explain");
        ExplainStage.Run(churn.ModelPath, churn.Prepared, churn.Definition.Spec, explain, repeats: 1, maxRows: 800);

        var registry = ModelRegistry.ForModel(_root.Path, "customer-churn", FileSystemModelBlobStore.ForRepository(_root.Path),
            new ModelRegistryOptions { User = "ana" });
        var lineage = new TrainingLineage(new Dictionary<string, string> { ["data/telco-churn.csv"] = "xxh3:5be1d0c2" }, "code-7f3a",
            new Dictionary<string, string> { ["trees"] = "30", ["leaves"] = "15" });
        RegisterStage.Run(registry, new RegisterRequest(churn.ModelPath, lineage, result.Headline, true, PromotionPolicy.Default, "0123456789abcdef0123456789abcdef01234567"),
            Path.Combine(_root.Path, "registration.json"));
        // A second model takes over, then is rolled back: the first version's approvals show all three moves.
        var other = _root.WriteFile("other.zip", "another model");
        registry.Register(new ModelRegistration(other, lineage.DataDigests, "code-8", lineage.Parameters,
            new Dictionary<string, double> { ["auc"] = result.Headline["auc"] + 0.01 }, GitCommit: "unknown"));
        registry.SetAlias(ModelAliases.Challenger, 2, "candidate");
        registry.Promote(true);
        registry.Rollback("v2 <mis-scores> | new customers");

        var monitor = churn.NewDirectory("monitor");
        Directory.CreateDirectory(monitor);
        RetrainDecisionFile.Write(Path.Combine(monitor, RetrainDecisionFile.FileName), new RetrainDecision(true, ["drift: detected (6 of 19 features)"]));
        // The drift report's shape as Monitor writes it: its verdict line and the batch it is about.
        File.WriteAllText(Path.Combine(monitor, "drift.json"), """{ "batch": "2026-11", "verdict": "drift: detected (6 of 19 features)" }""");
        var inputs = new ModelCardInputs(registry, 1, IntendedUse, churn.IngestDirectory, evaluation, explain,
            [Path.Combine(monitor, "drift.json"), Path.Combine(monitor, RetrainDecisionFile.FileName), Path.Combine(monitor, "monitor.json")]);
        return (inputs, evaluation, explain);
    }

    [Fact]
    public void The_card_of_a_registered_version_shows_use_data_metrics_fairness_explanations_drift_lineage_and_approvals()
    {
        var (inputs, evaluation, explain) = RegisterAndDescribe();
        var files = ModelCardStage.Run(inputs, Path.Combine(_root.Path, "cards"));
        Path.GetFileName(files.Markdown).ShouldBe("customer-churn-v1.md");
        var md = File.ReadAllText(files.Markdown);

        md.ShouldStartWith("# Model card: customer-churn v1\n");
        md.ShouldContain(IntendedUse);
        var qualitySha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(churn.IngestDirectory, "quality.json"))));
        md.ShouldContain($"| quality.json | sha256:{qualitySha} |");
        md.ShouldContain("| data/telco-churn.csv | xxh3:5be1d0c2 |");
        md.ShouldContain("7,043 rows read");

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(evaluation, "metrics.json")));
        var auc = metrics.RootElement.GetProperty("auc").GetDouble().ToString("0.####", CultureInfo.InvariantCulture);
        md.ShouldContain($"| auc | {auc} |");
        md.ShouldContain("**By senior_citizen: demographic-parity difference");

        var top = ImportanceReport.Read(Path.Combine(explain, ImportanceReport.FileName)).Features.OrderBy(f => f.Rank).First().Feature;
        md.ShouldContain($"| 1 | {top} |");

        md.ShouldContain("| drift.json | 2026-11 | drift | drift: detected (6 of 19 features) |");
        md.ShouldContain("| retrain.json |  | retraining | retrain: drift: detected (6 of 19 features) |");
        md.ShouldContain("| git commit | 0123456789abcdef0123456789abcdef01234567 |");
        md.ShouldContain("| trees | 30 |");

        // Approvals: every move to or from v1, with who and why; a pipe in a why does not break the table.
        md.ShouldContain("Now: champion.");
        md.ShouldContain("| champion | (unset) → v1 | Promote | ana |");
        md.ShouldContain("| champion | v1 → v2 | Promote | ana |");
        md.ShouldContain("| champion | v2 → v1 | Rollback | ana | v2 &lt;mis-scores&gt; \\| new customers |");
        md.ShouldNotContain("\n\n\n");

        var html = File.ReadAllText(files.Html);
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<td>v2 &lt;mis-scores&gt; | new customers</td>");
        html.ShouldNotContain("<mis-scores>");
        html.ShouldContain($"<td>sha256:{qualitySha}</td>");
        foreach (var section in new[] { "Intended use", "Training data", "Metrics", "Metrics by group (fairness)", "Explanations", "Drift history", "Lineage", "Approvals" })
            html.ShouldContain($"<h2>{section}</h2>");
    }

    [Fact]
    public void Without_monitoring_reports_the_card_says_so_and_a_missing_artifact_names_its_target()
    {
        var (inputs, _, _) = RegisterAndDescribe();
        var card = ModelCardBuilder.Build(inputs with { MonitorReports = null });
        card["Drift history"].Paragraphs.ShouldBe(["No monitoring report has been recorded for this version yet."]);

        var missing = Should.Throw<FileNotFoundException>(() => ModelCardBuilder.Build(inputs with { ExplainDirectory = Path.Combine(_root.Path, "nowhere") }));
        missing.Message.ShouldContain("importance.json does not exist: run Explain first");
        Should.Throw<ModelRegistryException>(() => ModelCardBuilder.Build(inputs with { Version = 9 })).Message.ShouldContain("version 9 is not registered");
    }
}
