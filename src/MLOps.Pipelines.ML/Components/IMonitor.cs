using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Registry;
using MLOps.Pipelines.ML.Retraining;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Components;

/// <summary>
/// The <c>Monitor</c> stage: drift, data quality and (labelled batches) the registered champion's performance on a batch
/// — <c>--batch</c>, a raw CSV/Parquet file or the model server's live sample URL, or else the pipeline's held-out data
/// (<see cref="PipelineMonitor"/>) — then the retraining policy's decision, written to <c>monitor/retrain.json</c> and
/// the audit trail for <see cref="IRetrain"/>. No outputs: a batch is new every time, so monitoring always runs.
/// </summary>
public interface IMonitor : IRegister
{
    [Parameter("Batch to monitor: a CSV or Parquet file in the raw schema, a feature-summaries JSON file, or an http(s) URL of the model server's live sample.csv or summary; default: the held-out data")]
    string? Batch => GetValue<string?>(() => Batch, null);

    [Parameter("Largest batch Monitor downloads from a URL, in bytes", Min = 1)]
    long MaxBatchBytes => GetValue(() => MaxBatchBytes, 256L * 1024 * 1024);

    [Parameter("Monitor exits 1 when an alarm (drift, data quality, performance) fires")]
    bool FailOnDrift => GetValue(() => FailOnDrift, false);

    [Parameter("Drift: the data set drifts when at least this share of the counted features drift", Min = 0, Max = 1, ExclusiveMin = true)]
    double DriftShare => GetValue(() => DriftShare, 0.5);

    [Parameter("Drift: a KS or chi-square p-value below this is drift (references up to --small-reference-rows rows)", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)]
    double DriftPValue => GetValue(() => DriftPValue, 0.05);

    [Parameter("Drift: a Wasserstein or Jensen-Shannon distance at or above this is drift (larger references)", Min = 0, ExclusiveMin = true)]
    double DriftDistance => GetValue(() => DriftDistance, 0.1);

    [Parameter("Drift: references with at most this many rows use the statistical tests", Min = 0)]
    long SmallReferenceRows => GetValue(() => SmallReferenceRows, 1000L);

    [Parameter("Drift: PSI at or above this is notable", Min = 0, ExclusiveMin = true)]
    double PsiNotable => GetValue(() => PsiNotable, 0.1);

    [Parameter("Drift: PSI at or above this is significant", Min = 0, ExclusiveMin = true)]
    double PsiSignificant => GetValue(() => PsiSignificant, 0.2);

    [Parameter("Performance: the alarm fires when the champion's metric on a labelled batch is worse than registered by more than this", Min = 0)]
    double PerformanceTolerance => GetValue(() => PerformanceTolerance, 0.02);

    [Parameter("Monitor: the batch's share of rows breaking the contract that raises the data-quality alarm", Min = 0, Max = 1)]
    double MaxBatchRejectedFraction => GetValue(() => MaxBatchRejectedFraction, 0.01);

    [Parameter("Retraining: treat this run as the nightly schedule (default: from GITHUB_EVENT_NAME / CI_PIPELINE_SOURCE)")]
    bool? Nightly => GetValue<bool?>(() => Nightly, null);

    /// <summary>Monitor's retraining decision for the pipeline: <c>artifacts/&lt;model&gt;/monitor/retrain.json</c>.</summary>
    AbsolutePath DecisionFileOf(PipelineDefinition pipeline) => ArtifactsOf(pipeline).Monitoring / RetrainDecisionFile.FileName;

    Target Monitor => _ => _
        .Description("Drift, data quality and performance of a batch (--batch, or the held-out data) against the training data; decides whether to retrain")
        .ForEach(Pipelines, p => p.Name, (_, p) => _
            .DependsOn(Prepare)
            .After(Register)
            .Executes(async cancellationToken =>
            {
                var paths = ArtifactsOf(p);
                var batch = Batch is not { } given ? null
                    : BatchDownload.IsUrl(given) ? await BatchDownload.DownloadAsync(new Uri(given), paths.Monitoring / "batch" / "live-batch.csv", MaxBatchBytes, null, cancellationToken)
                    : Path.GetFullPath(given);
                if (batch is not null && !File.Exists(batch))
                    throw new FileNotFoundException($"--batch {Batch}: no such file; pass a CSV or Parquet file in the raw schema, a feature-summaries JSON file or an http(s) URL", batch);
                var registry = RegistryOf(p);
                var champion = registry.Aliases().ContainsKey(ModelAliases.Champion) ? registry.Get(ModelAliases.Champion) : null;
                // Performance against the registered champion, with its own model, on the task's primary metric.
                string? championModel = null;
                if (champion is not null)
                {
                    // A champion registered elsewhere (its binary not in this machine's blob store): drift still runs, performance cannot.
                    try { championModel = registry.Download(champion!.Version, paths.Monitoring / "champion" / TrainStage.ModelFile); }
                    // A damaged or tampered blob is never scored: that fails the target, like any stage that uses it.
                    catch (ModelRegistryException e) when (e is not CorruptModelBlobException) { Console.WriteLine($"performance: not checked ({e.Message})"); }
                }
                var request = new PipelineMonitorRequest(p, paths)
                {
                    Batch = batch,
                    Drift = DriftOptions.Default with
                    {
                        DriftShare = DriftShare, PValue = DriftPValue, DistanceThreshold = DriftDistance, SmallReferenceRows = SmallReferenceRows,
                        PsiNotable = PsiNotable, PsiSignificant = PsiSignificant,
                    },
                    Performance = new PerformanceOptions(p.Task.PrimaryMetric, PerformanceTolerance),
                    MaxRejectedFraction = MaxBatchRejectedFraction,
                    ModelPath = championModel,
                    RegisteredMetrics = championModel is null ? null : champion!.Metrics,
                };
                var result = await PipelineMonitor.RunAsync(request, paths.Monitoring, cancellationToken);
                foreach (var line in result.Lines()) Console.WriteLine(line);
                TargetMetrics.Record("drifted_features", result.Drift.DriftedCount);
                if (result.Performance is { } performance) TargetMetrics.Record("batch_" + performance.Metric, performance.Current);

                var signals = MonitorSignals.From(result, registry, Nightly ?? ScheduleTrigger.IsScheduledRun(), DateTimeOffset.UtcNow);
                Console.WriteLine(RetrainStage.Decide(RetrainPolicy.Default, signals, DecisionFileOf(p)).Summary);
                Console.WriteLine($"report: {paths.Monitoring / MonitorReportWriter.HtmlFile}");
                if (result.FailsBuild(FailOnDrift))
                    throw new InvalidOperationException($"--fail-on-drift: {string.Join("; ", result.Alarms)}");
            }));
}
