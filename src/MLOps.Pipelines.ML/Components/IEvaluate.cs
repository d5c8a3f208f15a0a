using System.Globalization;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tasks;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Evaluate</c> stage: test metrics, plots, fairness by group, the quality gate and the metrics diff against the
/// previous run and the committed lock (read through the engine's <see cref="TargetRecords"/>, per instance).
/// </summary>
public interface IEvaluate : ITrain
{
    [Parameter("Quality gate: the least test value of each pipeline's gate metric (AUC, macro-F1; the most for a loss); default: each pipeline's")]
    double? GateThreshold => GetValue<double?>(() => GateThreshold, null);

    [Parameter("Quality gate: how much worse than the registered champion's gate metric a model may be", Min = 0, Max = 1)]
    double ChampionTolerance => GetValue(() => ChampionTolerance, 0.01);

    Target Evaluate => _ => _
        .Description("Score the test rows: metrics, plots, fairness by group, quality gate, metrics diff")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Train)
            // The champion compared with comes from models/<model>/registry.json, which Register (downstream) writes and
            // which does not exist before the first registration: as an input it would fail the first run and re-run
            // Evaluate after every registration of its own model. gate.json records the champion compared with, and
            // Verifies re-runs Evaluate when the registry's champion for this model is another one (ChampionBaseline).
            // The lock (baselines for the metrics diff) is the engine's record of this very target, not an input.
            .Inputs(ArtifactsOf(p).Model, ArtifactsOf(p).TestData)
            .Outputs(ArtifactsOf(p).Evaluation)
            .Verifies(() => EvaluateStage.ComparedWithCurrentChampion(RegistryOf(p), ArtifactsOf(p).Model, ArtifactsOf(p).Gate),
                $"the champion {GateVerdict.FileName} compared with is still models/{p.ModelName}/{ModelRegistry.FileName}'s")
            .Executes(() =>
            {
                var instance = $"{nameof(Evaluate)}@{p.Name}";
                var gate = new QualityGatePolicy(p.GateMetric, GateThreshold ?? p.GateThreshold, ChampionTolerance);
                var settings = new EvaluateSettings(gate, ChampionBaseline.Of(RegistryOf(p), ChampionBaseline.Sha256Of(ArtifactsOf(p).Model), gate.Metric),
                    Baseline(TargetRecords.WorkingTree(RootDirectory), instance),
                    Baseline(TargetRecords.AtHead(RootDirectory), instance));
                var result = EvaluateStage.Run(ArtifactsOf(p).Model, ArtifactsOf(p).Prepared, p.Spec, settings, ArtifactsOf(p).Evaluation);
                foreach (var (name, value) in result.Headline) TargetMetrics.Record(name, value);
                Console.WriteLine(string.Join(", ", p.Task.HeadlineMetrics.Where(result.Headline.ContainsKey)
                    .Select(m => string.Create(CultureInfo.InvariantCulture, $"{ModelTask.Display(m)} {result.Headline[m]:0.0000}")))
                    + string.Create(CultureInfo.InvariantCulture, $" on {result.Metrics.Rows:N0} rows"));
                foreach (var c in result.Multiclass?.PerClass ?? [])
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"class {c.Class}: precision {c.Precision:0.000}, recall {c.Recall:0.000}, F1 {c.F1:0.000} on {c.Support:N0} rows"));
                foreach (var g in result.Binary?.Groups ?? [])
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"by {g.Column}: demographic-parity difference {g.DemographicParityDifference:0.000}, equal-opportunity difference {g.EqualOpportunityDifference:0.000}"));
                Console.WriteLine(result.Gate.Message);
                Console.Write("against the previous run:\n" + (settings.PreviousRun is null ? "no previous run of this pipeline\n" : MetricsDiff.Format(result.DiffToPreviousRun, "previous", "now")));
                Console.Write("against the committed pipelines.lock:\n" + (settings.Committed is null ? "no committed metrics of this pipeline\n" : MetricsDiff.Format(result.DiffToCommitted, "committed", "now")));
            }));

    /// <summary>The metrics an instance recorded, or null when it has none (never ran there, or recorded no metric).</summary>
    private static IReadOnlyDictionary<string, double>? Baseline(TargetRecords records, string instance) =>
        records.Find(instance) is { Metrics.Count: > 0 } record ? record.Metrics : null;
}
