using System.Globalization;
using MLOps.Pipelines.Graph;

namespace MLOps.Pipelines.Execution;

/// <summary>
/// One plain line when each target starts and ends (what CI logs need); a failing target's exception in full, once,
/// under its name.
/// </summary>
internal sealed class ConsoleReporter(TextWriter output, bool quiet) : IBuildReporter
{
    readonly Lock _gate = new();

    public void TargetStarted(TargetNode node)
    {
        if (quiet) return;
        lock (_gate) output.WriteLine($"▶ {node.Name}");
    }

    public void TargetFinished(TargetResult result)
    {
        lock (_gate)
        {
            if (result.Error is not null && result.Reason != "cancelled")
            {
                output.WriteLine($"✖ {result.Target} failed after {Format(result.Duration)}:");
                // A missing declared input is a mistake in the build or the data, not in the engine: the message says it all.
                output.WriteLine(result.Error is Caching.MissingPathException ? result.Error.Message : result.Error.ToString());
                return;
            }
            if (quiet && result.Outcome != TargetOutcome.Failed) return;
            var symbol = result.Outcome switch
            {
                TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored => "✔",
                TargetOutcome.Failed => "✖",
                _ => "○",
            };
            var reason = result.Reason is null ? "" : $": {result.Reason}";
            var duration = result.Outcome is TargetOutcome.Skipped or TargetOutcome.NotRun ? "" : $" in {Format(result.Duration)}";
            output.WriteLine($"{symbol} {result.Target} {result.Outcome}{duration}{reason}");
        }
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
}
