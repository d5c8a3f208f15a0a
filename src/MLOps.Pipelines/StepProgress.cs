using MLOps.Pipelines.Execution;

namespace MLOps.Pipelines;

/// <summary>
/// Progress within the running target's step, for steps that take long (trees built, rows scored, features permuted):
/// <c>StepProgress.Report("trees", 40, 250)</c>. On a terminal it shows in the live status line
/// (<c>running Train@FlightDelays 61.2 s · trees 40/250</c>); in CI logs and redirected output as a plain line at most
/// every 10 seconds per target (<c>MLOPS_PROGRESS_INTERVAL</c> seconds), so short steps print nothing extra. Called
/// outside a build (a library used on its own, a test) it does nothing.
/// </summary>
public static class StepProgress
{
    static readonly AsyncLocal<IStepProgressSink?> s_sink = new();

    /// <summary>Where reports go in the current build; flows with the async context into every target.</summary>
    internal static IStepProgressSink? Sink
    {
        get => s_sink.Value;
        set => s_sink.Value = value;
    }

    /// <summary>
    /// Says that <paramref name="done"/> of <paramref name="total"/> <paramref name="unit"/> are done in this target's
    /// step; a <paramref name="total"/> of 0 or less means the total is not known (<c>rows 1,200,000</c>). Cheap enough
    /// to call per tree, chunk or feature; not meant per row.
    /// </summary>
    public static void Report(string unit, long done, long total)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (s_sink.Value is not { } sink) return;
        sink.Report(TargetOutputWriter.CurrentTarget ?? "build", new StepProgressUpdate(unit, done, total));
    }
}
