using System.ComponentModel;
using CliWrap.Buffered;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>A file's content as committed at HEAD, by asking git; null outside a repository, without git, or when not committed.</summary>
internal static class CommittedFile
{
    public static string? Read(string directory, string relativePath)
    {
        if (!Directory.Exists(directory)) return null;
        try
        {
            // "HEAD:./path" is relative to the working directory, so a root below the repository's top works too.
            var result = CliWrap.Cli.Wrap("git")
                .WithArguments(["show", $"HEAD:./{relativePath}"])
                .WithWorkingDirectory(directory)
                .WithValidation(CliWrap.CommandResultValidation.None)
                .ExecuteBufferedAsync()
                .GetAwaiter().GetResult();
            return result.ExitCode == 0 ? result.StandardOutput : null;
        }
        catch (Win32Exception)
        {
            return null; // git is not installed
        }
    }
}
