using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Monitor for one pipeline: picks the reference and the batch, then runs <see cref="BatchMonitor"/>. A pipeline with a
/// time split compares against its training months (the ingested rows before the split date, <see cref="TimeWindow"/>)
/// and, without a batch, monitors its later months; any other pipeline compares against its training rows and, without
/// a batch, monitors its test rows.
/// </summary>
public static class PipelineMonitor
{
    public static async Task<MonitorResult> RunAsync(PipelineMonitorRequest request, string outputDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var p = request.Pipeline;
        var setup = new MonitorSetup(p.Schema, p.Features)
        {
            Drift = request.Drift with { SeasonalFeatures = [.. request.Drift.SeasonalFeatures.Union(p.SeasonalFeatures)] },
            Performance = request.Performance ?? new PerformanceOptions(p.Task.PrimaryMetric),
            MaxRejectedFraction = request.MaxRejectedFraction,
            ModelPath = request.ModelPath,
            RegisteredMetrics = request.RegisteredMetrics,
        };

        if (p.TimeSplit is not { } split)
        {
            var reference = await FeatureProfiler.FromPreparedAsync(request.Paths.TrainData, p.Spec, ct);
            return request.Batch is { } batch
                ? await BatchMonitor.RunAsync(reference, batch, setup, outputDirectory, null, ct)
                : await BatchMonitor.RunAsync(reference, request.Paths.TestData, setup, outputDirectory, BatchKind.Prepared, ct);
        }

        var ingested = request.Paths.IngestedData;
        if (!File.Exists(ingested)) throw new FileNotFoundException($"{ingested}: the ingested data does not exist (run Ingest@{p.Name} first)", ingested);
        var training = (await FeatureProfiler.FromRawAsync(ingested, p.Schema, p.Features, new TimeWindow(split.TimestampColumn, null, split.TestFrom), null, 1, ct)).Profile;
        if (request.Batch is { } given) return await BatchMonitor.RunAsync(training, given, setup, outputDirectory, null, ct);

        // The later months, read from the same ingested file through the window (the prepared batches exist only under --split Time).
        var scoring = setup.ModelPath is not null && setup.RegisteredMetrics is not null;
        var prepared = scoring ? Path.Combine(Path.GetTempPath(), $"mlops-monitor-{Guid.NewGuid():N}.parquet") : null;
        try
        {
            var later = await FeatureProfiler.FromRawAsync(ingested, p.Schema, p.Features, new TimeWindow(split.TimestampColumn, split.TestFrom), prepared, setup.MaxRejectedFraction, ct);
            var performance = later.PreparedPath is { } scored && later.Profile.Rows > 0
                ? PerformanceCheck.Evaluate(TrainedModel.Load(setup.ModelPath!), scored, p.Spec, setup.RegisteredMetrics!, setup.Performance)
                : null;
            var name = $"{Path.GetFileName(ingested)} from {split.TestFrom:yyyy-MM-dd}";
            var result = new MonitorResult(name, DriftDetector.Compare(training, later.Profile, setup.Drift), later.Quality, performance);
            MonitorReportWriter.Write(result, outputDirectory);
            return result;
        }
        finally
        {
            if (prepared is not null) File.Delete(prepared);
        }
    }
}
