using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>The retraining signals of one Monitor run: its drift verdict, its performance check (labelled batches only) and the registry's age.</summary>
public static class MonitorSignals
{
    public static RetrainSignals From(MonitorResult result, ModelRegistry registry, bool scheduledRun, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var drift = new DriftVerdict(result.Drift.Detected, result.Drift.DriftedCount, result.Drift.CountedFeatures);
        var performance = result.Performance is { } p
            ? new PerformanceSignal(p.Metric, p.Registered, p.Current, p.Tolerance, Tasks.ModelTask.HigherIsBetter(p.Metric))
            : null;
        return new RetrainSignals(drift, performance, scheduledRun, RetrainStage.LastTrainedAt(registry), now);
    }
}
