using System.Globalization;

namespace MLOps.Pipelines.Execution;

/// <summary>
/// Progress for CI logs and redirected output: one plain line (no escape codes) per target at most every
/// <paramref name="interval"/> — <c>… Train@FlightDelays: trees 40/250 (16 %) after 12 s</c> — and, when a line was
/// printed for a step, its last one at completion. The first line waits a whole interval, so a step shorter than
/// that prints nothing extra.
/// </summary>
internal sealed class PlainProgressLines(Action<string> writeLine, TimeSpan interval, Func<TimeSpan> clock) : IStepProgressSink
{
    readonly Lock _gate = new();
    readonly Dictionary<(string Target, string Unit), Step> _steps = [];

    /// <summary>The interval CI logs get: <c>MLOPS_PROGRESS_INTERVAL</c> seconds when set to a number ≥ 0, else 10 s.</summary>
    public static TimeSpan IntervalFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);

    public void Report(string target, StepProgressUpdate update)
    {
        var now = clock();
        lock (_gate)
        {
            var key = (target, update.Unit);
            if (!_steps.TryGetValue(key, out var step))
                _steps[key] = step = new Step(now);
            if (now - step.LastLine >= interval || (update.IsComplete && step.Printed))
            {
                step.LastLine = now;
                step.Printed = true;
                writeLine(string.Create(CultureInfo.InvariantCulture, $"… {target}: {update} after {(now - step.Started).TotalSeconds:0} s"));
            }
            // A completed step is forgotten: the same unit counted again (test rows after training rows) starts afresh.
            if (update.IsComplete) _steps.Remove(key);
        }
    }

    sealed class Step(TimeSpan started)
    {
        public TimeSpan Started { get; } = started;
        public TimeSpan LastLine { get; set; } = started;
        public bool Printed { get; set; }
    }
}
