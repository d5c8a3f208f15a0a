using System.Diagnostics;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Debian tools the tests drive (promtool, prometheus): found on PATH; missing is a skip only outside CI.</summary>
internal static class ExternalTool
{
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    /// <summary>The tool's path; skips the test when it is missing and CI is not "true", fails it in CI.</summary>
    public static string Require(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
        if (path is not null) return path;
        if (InCi) throw new InvalidOperationException($"{name} is not installed; .ci/run installs Debian's prometheus package.");
        Skip.If(true, $"{name} is not installed (apt-get install prometheus); CI installs it.");
        return "";
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
