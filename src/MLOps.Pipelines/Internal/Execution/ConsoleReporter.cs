using System.Globalization;
using System.Reflection;
using MLOps.Pipelines.Internal.Cli;
using MLOps.Pipelines.Internal.Graph;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// One plain line when each target starts and ends (what CI logs need); a failing target's message once, under its
/// name — its stack trace only with <c>--verbosity verbose</c>. With <c>minimal</c> and <c>quiet</c> only failures
/// (with what the failed target wrote) are printed; the summary table follows in every case.
/// </summary>
internal sealed class ConsoleReporter(TextWriter output, Verbosity verbosity, Func<string, string?>? capturedOutput = null) : IBuildReporter
{
    readonly Lock _gate = new();

    bool Terse => verbosity < Verbosity.Normal;

    public void TargetStarted(TargetNode node)
    {
        if (Terse) return;
        lock (_gate) output.WriteLine($"▶ {node.Name}");
    }

    public void TargetFinished(TargetResult result)
    {
        lock (_gate)
        {
            var captured = capturedOutput?.Invoke(result.Target);
            if (result.Error is not null && result.Reason != "cancelled")
            {
                if (captured is not null) output.Write(captured.EndsWith('\n') ? captured : captured + "\n");
                output.WriteLine($"✖ {result.Target} failed after {Format(result.Duration)}:");
                output.WriteLine(verbosity == Verbosity.Verbose ? result.Error.ToString() : Describe(result.Error));
                return;
            }
            if (Terse && result.Outcome != TargetOutcome.Failed) return;
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

    /// <summary>
    /// The failure as its message says it: a quality gate, a drifted CI file or a bad value is a sentence, not a stack
    /// trace. An exception that signals a defect (a null reference, an index out of range) keeps its type and points
    /// at <c>--verbosity verbose</c> for where it happened.
    /// </summary>
    public static string Describe(Exception error)
    {
        var inner = error;
        while (inner is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && inner.InnerException is not null)
            inner = inner.InnerException!;
        var message = inner.Message.TrimEnd();
        return IsExpected(inner) ? message : $"{inner.GetType().Name}: {message} (run with --verbosity verbose for the stack trace)";
    }

    static bool IsExpected(Exception e) => e is InvalidOperationException or IOException or UnauthorizedAccessException
        or FormatException or TimeoutException or OperationCanceledException or BuildConfigurationException
        or System.Net.Http.HttpRequestException or System.Text.Json.JsonException
        || (e is ArgumentException && e is not ArgumentNullException and not ArgumentOutOfRangeException)
        || e.GetType().Namespace?.StartsWith("MLOps.", StringComparison.Ordinal) == true;

    public static string Format(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
}
