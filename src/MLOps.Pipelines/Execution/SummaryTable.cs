using Spectre.Console;

namespace MLOps.Pipelines.Execution;

/// <summary>The table printed after every build — on success, on failure and on Ctrl+C.</summary>
internal static class SummaryTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<TargetResult> results, TimeSpan total)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("Target");
        table.AddColumn("Outcome");
        table.AddColumn(new TableColumn("Duration").RightAligned());
        table.AddColumn("Details");
        foreach (var result in results)
        {
            var color = result.Outcome switch
            {
                TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored => "green",
                TargetOutcome.Failed => "red",
                TargetOutcome.NotRun => "yellow",
                _ => "grey",
            };
            var ran = result.Outcome is not (TargetOutcome.Skipped or TargetOutcome.NotRun);
            table.AddRow(
                Markup.Escape(result.Target),
                $"[{color}]{result.Outcome}[/]",
                ran ? ConsoleReporter.Format(result.Duration) : "",
                Markup.Escape(result.Reason ?? ""));
        }
        table.AddEmptyRow();
        table.AddRow("[bold]Total[/]", "", ConsoleReporter.Format(total), "");
        console.Write(table);
        var failed = results.Where(r => r.Outcome == TargetOutcome.Failed).Select(r => r.Target).ToList();
        console.MarkupLine(failed.Count == 0
            ? "[green]Build succeeded[/] in " + ConsoleReporter.Format(total)
            : $"[red]Build failed[/]: {Markup.Escape(string.Join(", ", failed))} failed.");
    }
}
