using MLOps.Pipelines.Internal.Execution;

namespace MLOps.Pipelines;

/// <summary>
/// Progress within the running target's step, for steps that take long (trees built, rows scored, features permuted):
/// <c>StepProgress.Report("trees", 40, 250)</c>. On a terminal it shows in the live status line
/// (<c>running Train@FlightDelays 61.2 s · trees 40/250</c>); in CI logs and redirected output as a plain line at most
/// every 10 seconds per step while it lasts (<c>MLOPS_PROGRESS_INTERVAL</c> seconds), so short steps print nothing. Called
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
        s_sink.Value?.Report(TargetOutputWriter.CurrentTarget ?? "build", new StepProgressUpdate(unit, Math.Max(done, 0), total));
    }

    /// <summary>
    /// Says in words what this target's step is doing when it cannot be counted (<c>fitting 250 trees</c>): the terminal
    /// shows it, CI logs repeat it every interval while the target runs. It replaces the previous status.
    /// </summary>
    public static void Report(string status)
    {
        ArgumentNullException.ThrowIfNull(status);
        s_sink.Value?.Report(TargetOutputWriter.CurrentTarget ?? "build", StepProgressUpdate.Status(status));
    }
}
