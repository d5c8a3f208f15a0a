using System.Globalization;
using Microsoft.ML;

namespace MLOps.Pipelines.ML.Training;

/// <summary>
/// What a fit is doing, said through <see cref="StepProgress"/>. The trees cannot be counted: ML.NET's LightGBM wrapper
/// reports its iterations only to an <c>IProgressChannel</c> (a checkpoint every 50 iterations) that an
/// <see cref="MLContext"/> never surfaces — <see cref="MLContext.Log"/> carries channel messages, not progress. What it
/// does carry is each channel's start, so the steps are LightGBM's own: loading the rows into its bins, then fitting.
/// </summary>
internal sealed class FitProgress : IDisposable
{
    readonly MLContext _context;
    readonly TrainingOptions _options;
    readonly long _rows;

    FitProgress(MLContext context, TrainingOptions options, long rows)
    {
        _context = context;
        _options = options;
        _rows = rows;
        StepProgress.Report(string.Create(CultureInfo.InvariantCulture, $"featurizing {rows:N0} rows for {options.Trainer}"));
        context.Log += OnLog;
    }

    public static FitProgress Follow(MLContext context, TrainingOptions options, long rows) => new(context, options, rows);

    void OnLog(object? sender, LoggingEventArgs e)
    {
        if (e.RawMessage != "Channel started" || e.Source is not { } source) return;
        if (source.EndsWith("Loading data for LightGBM", StringComparison.Ordinal))
            StepProgress.Report(string.Create(CultureInfo.InvariantCulture, $"LightGBM: binning {_rows:N0} rows"));
        else if (source.EndsWith("Training with LightGBM", StringComparison.Ordinal))
            StepProgress.Report(string.Create(CultureInfo.InvariantCulture, $"LightGBM: fitting {_options.Trees} trees of {_options.Leaves} leaves (no per-tree signal)"));
    }

    public void Dispose() => _context.Log -= OnLog;
}
