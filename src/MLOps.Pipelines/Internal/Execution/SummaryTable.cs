using System.Text;

namespace MLOps.Pipelines.Internal.Execution;

/// <summary>
/// The table printed after every build — on success, on failure and on Ctrl+C. Plain aligned text (outcomes coloured
/// on a terminal): it is read in CI logs as often as on screens, and it must cost nothing on a no-op build.
/// </summary>
internal static class SummaryTable
{
    public static string Render(IReadOnlyList<TargetResult> results, TimeSpan total, bool colour)
    {
        var rows = results.Select(r => (
            Target: r.Target,
            Outcome: r.Outcome.ToString(),
            Duration: r.Outcome is TargetOutcome.Skipped or TargetOutcome.NotRun ? "" : ConsoleReporter.Format(r.Duration),
            Details: r.Reason ?? "",
            Colour: r.Outcome switch
            {
                TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored => "\u001b[32m",
                TargetOutcome.Failed => "\u001b[31m",
                TargetOutcome.NotRun => "\u001b[33m",
                _ => "\u001b[90m",
            })).ToList();
        var totalText = ConsoleReporter.Format(total);
        var targetWidth = rows.Select(r => r.Target.Length).Append("Target".Length).Append("Total".Length).Max();
        var outcomeWidth = rows.Select(r => r.Outcome.Length).Append("Outcome".Length).Max();
        var durationWidth = rows.Select(r => r.Duration.Length).Append("Duration".Length).Append(totalText.Length).Max();

        var text = new StringBuilder();
        void Line(string target, string outcome, string duration, string details, string? colourCode = null)
        {
            var paddedOutcome = outcome.PadRight(outcomeWidth);
            if (colour && colourCode is not null) paddedOutcome = colourCode + paddedOutcome + "\u001b[0m";
            text.Append("  ").Append(target.PadRight(targetWidth)).Append("   ").Append(paddedOutcome).Append("   ")
                .Append(duration.PadLeft(durationWidth)).Append("   ").Append(details).Append('\n');
        }

        text.Append('\n');
        Line("Target", "Outcome", "Duration", "Details");
        var detailsWidth = Math.Min(60, rows.Select(r => r.Details.Length).Append("Details".Length).Max());
        text.Append("  ").Append(new string('─', targetWidth + outcomeWidth + durationWidth + detailsWidth + 9)).Append('\n');
        foreach (var row in rows) Line(row.Target, row.Outcome, row.Duration, row.Details, row.Colour);
        text.Append('\n');
        Line("Total", "", totalText, "");
        text.Append('\n');
        var failed = results.Where(r => r.Outcome == TargetOutcome.Failed).Select(r => r.Target).ToList();
        text.Append(failed.Count == 0
            ? Paint("Build succeeded", "\u001b[32m") + " in " + totalText
            : Paint("Build failed", "\u001b[31m") + $": {string.Join(", ", failed)} failed.").Append('\n');
        return text.ToString();

        string Paint(string word, string code) => colour ? code + word + "\u001b[0m" : word;
    }
}
