using System.Globalization;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// Progress for CI logs and redirected output: plain lines (no escape codes), per step of a running target at most one
/// every <paramref name="interval"/> — <c>… Train@FlightDelays: trees 40/250 (16 %) after 72 s</c> — repeated by
/// <see cref="Tick"/> while the step lasts (a heartbeat for logs that would otherwise stay silent for minutes), and a
/// last one when a step that printed completes. The first line waits a whole interval, so a short step prints nothing.
/// </summary>
internal sealed class PlainProgressLines(Action<string> writeLine, TimeSpan interval, Func<TimeSpan> clock) : IStepProgressSink, IBuildReporter
{
    readonly Lock _gate = new();
    readonly Dictionary<string, RunningTarget> _targets = new(StringComparer.Ordinal);

    /// <summary>The interval CI logs get: <c>MLOPS_PROGRESS_INTERVAL</c> seconds when set to a number ≥ 0, else 10 s.</summary>
    public static TimeSpan IntervalFromEnvironment() =>
        double.TryParse(Environment.GetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);

    public void TargetStarted(TargetNode node)
    {
        lock (_gate) _targets[node.Name] = new RunningTarget(clock());
    }

    public void TargetFinished(TargetResult result)
    {
        lock (_gate) _targets.Remove(result.Target);
    }

    public void Report(string target, StepProgressUpdate update)
    {
        var now = clock();
        lock (_gate)
        {
            if (!_targets.TryGetValue(target, out var running)) _targets[target] = running = new RunningTarget(now);
            // A status replaces the previous status; a counted step is keyed by its unit.
            var key = update.IsStatus ? "" : update.Unit;
            if (!running.Steps.TryGetValue(key, out var step)) running.Steps[key] = step = new Step(now);
            step.Latest = update;
            if (now - step.LastLine >= interval || (update.IsComplete && step.Printed)) Print(target, running, step, now);
            // A completed step is forgotten: the same unit counted again (test rows after training rows) starts afresh.
            if (update.IsComplete) running.Steps.Remove(key);
        }
    }

    /// <summary>Called every second or so: repeats the state of a step that has printed nothing for an interval.</summary>
    public void Tick()
    {
        var now = clock();
        lock (_gate)
            foreach (var (target, running) in _targets)
                foreach (var step in running.Steps.Values.Where(s => now - s.LastLine >= interval))
                    Print(target, running, step, now);
    }

    void Print(string target, RunningTarget running, Step step, TimeSpan now)
    {
        step.LastLine = now;
        step.Printed = true;
        writeLine(string.Create(CultureInfo.InvariantCulture, $"… {target}: {step.Latest} after {(now - running.Started).TotalSeconds:0} s"));
    }

    sealed class RunningTarget(TimeSpan started)
    {
        public TimeSpan Started { get; } = started;
        public Dictionary<string, Step> Steps { get; } = new(StringComparer.Ordinal);
    }

    sealed class Step(TimeSpan now)
    {
        public TimeSpan LastLine { get; set; } = now;
        public StepProgressUpdate Latest { get; set; }
        public bool Printed { get; set; }
    }
}
