using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>The commit checked out in a directory, by asking git; "unknown" outside a repository or without git.</summary>
internal static class GitCommit
{
    public const string Unknown = "unknown";

    public static string Read(string directory)
    {
        try
        {
            // A registry call is synchronous file work; git answers in milliseconds, so blocking here is fine.
            var result = CliWrap.Cli.Wrap("git")
                .WithArguments(["rev-parse", "--verify", "--quiet", "HEAD"])
                .WithWorkingDirectory(directory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync()
                .GetAwaiter().GetResult();
            var commit = result.StandardOutput.Trim();
            return result.ExitCode == 0 && commit.Length >= 40 && commit.All(Uri.IsHexDigit) ? commit : Unknown;
        }
        catch (Win32Exception)
        {
            return Unknown; // git is not installed
        }
    }
}
