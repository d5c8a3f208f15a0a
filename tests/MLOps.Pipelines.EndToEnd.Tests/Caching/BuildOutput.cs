using System.Text.RegularExpressions;
using CliWrap.Buffered;

namespace MLOps.Pipelines.EndToEnd.Tests.Caching;

/// <summary>Reads what a build printed and did: the summary table's outcomes and the bodies that executed.</summary>
public static partial class BuildOutput
{
    [GeneratedRegex(@"^\s{2}([\w@.-]+)\s+(Succeeded|UpToDate|Restored|Skipped|Failed|NotRun)\b", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();

    /// <summary>Target → outcome, from the summary table printed at the end of a build.</summary>
    public static IReadOnlyDictionary<string, string> Outcomes(string standardOutput)
    {
        var table = standardOutput.LastIndexOf("  Target ", StringComparison.Ordinal);
        table.ShouldBeGreaterThanOrEqualTo(0, "no summary table in:\n" + standardOutput);
        return SummaryRow().Matches(standardOutput[table..]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    /// <summary>Asserts a successful build whose summary gives each listed target the listed outcome.</summary>
    public static IReadOnlyDictionary<string, string> ShouldSucceedWith(this BufferedCommandResult result, string outcome, params string[] targets)
    {
        result.ExitCode.ShouldBe(0, Describe(result));
        var outcomes = Outcomes(result.StandardOutput);
        foreach (var target in targets)
            outcomes.GetValueOrDefault(target).ShouldBe(outcome, $"{target}\n{Describe(result)}");
        return outcomes;
    }

    /// <summary>The target bodies that started since the last call (each body leaves a file named after it in executions/), sorted.</summary>
    public static IReadOnlyList<string> TakeExecutions(this TestRepository repository)
    {
        var folder = repository.FullPath("executions");
        if (!Directory.Exists(folder)) return [];
        var files = Directory.GetFiles(folder);
        foreach (var file in files) File.Delete(file);
        return [.. files.Select(f => Path.GetFileName(f).Split('-')[0]).Order(StringComparer.Ordinal)];
    }

    public static string Describe(BufferedCommandResult result) =>
        $"exit {result.ExitCode}\n--- stdout\n{result.StandardOutput}\n--- stderr\n{result.StandardError}";
}
