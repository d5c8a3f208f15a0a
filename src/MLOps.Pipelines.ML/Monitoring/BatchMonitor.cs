using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Training;
using Parquet;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// Monitors one batch against a reference profile: drift per feature and for the data set, data quality (raw
/// batches), performance (labelled batches, given a model and its registered metrics); writes drift.json and
/// drift.html into the output directory and returns the typed result.
/// </summary>
public static class BatchMonitor
{
    /// <summary>.json → summaries; a Parquet file with every feature column → prepared; anything else → raw.</summary>
    public static async Task<BatchKind> DetectAsync(string path, MonitorSetup setup, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return BatchKind.Summaries;
        if (TabularFormatDetector.Detect(path) != TabularFormat.Parquet) return BatchKind.Raw;
        await using var reader = await ParquetReader.CreateAsync(path, null, ct);
        var columns = reader.Schema.DataFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        return setup.Features.Spec.Features.All(columns.Contains) ? BatchKind.Prepared : BatchKind.Raw;
    }

    public static async Task<MonitorResult> RunAsync(
        FeatureProfile reference, string batchPath, MonitorSetup setup, string outputDirectory, BatchKind? kind = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(setup);
        setup.Drift.Validate();
        if (!File.Exists(batchPath)) throw new FileNotFoundException($"{batchPath}: the batch file does not exist; pass --batch with a CSV, Parquet or feature-summaries file", batchPath);
        kind ??= await DetectAsync(batchPath, setup, ct);
        var name = Path.GetFileName(batchPath);
        var scoring = setup.ModelPath is not null && setup.RegisteredMetrics is not null;

        FeatureProfile current;
        BatchQuality? quality = null;
        PerformanceReport? performance = null;
        switch (kind)
        {
            case BatchKind.Summaries:
                current = FeatureSummaryFile.Read(batchPath);
                break;
            case BatchKind.Prepared:
                current = await FeatureProfiler.FromPreparedAsync(batchPath, setup.Features.Spec, ct);
                if (scoring)
                    performance = PerformanceCheck.Evaluate(TrainedModel.Load(setup.ModelPath!), batchPath, setup.Features.Spec, setup.RegisteredMetrics!, setup.Performance);
                break;
            default:
                var prepared = scoring ? Path.Combine(Path.GetTempPath(), $"mlops-monitor-{Guid.NewGuid():N}.parquet") : null;
                try
                {
                    var raw = await FeatureProfiler.FromRawAsync(batchPath, setup.Contract, setup.Features, null, prepared, setup.MaxRejectedFraction, ct);
                    current = raw.Profile;
                    quality = raw.Quality;
                    if (raw.PreparedPath is { } p && raw.Profile.Rows > 0)
                        performance = PerformanceCheck.Evaluate(TrainedModel.Load(setup.ModelPath!), p, setup.Features.Spec, setup.RegisteredMetrics!, setup.Performance);
                }
                finally
                {
                    if (prepared is not null) File.Delete(prepared);
                }
                break;
        }

        var result = new MonitorResult(name, DriftDetector.Compare(reference, current, setup.Drift), quality, performance);
        MonitorReportWriter.Write(result, outputDirectory);
        return result;
    }
}
