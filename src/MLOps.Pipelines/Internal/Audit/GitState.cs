using System.Diagnostics;

namespace MLOps.Pipelines.Internal.Audit;

/// <summary>The commit a run built from and whether the work tree differed from it (tracked changes or untracked files).</summary>
internal sealed record GitState(string Commit, bool Dirty, int ChangedPaths)
{
    /// <summary>
    /// One <c>git status --porcelain=v2 --branch</c> gives both (one process, ~10 ms). Null outside a repository or
    /// without git; the record then says so rather than failing the build.
    /// </summary>
    public static async Task<GitState?> ReadAsync(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", ["-C", root, "status", "--porcelain=v2", "--branch", "--untracked-files=normal"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["GIT_OPTIONAL_LOCKS"] = "0"; // a status must not take the index lock from a concurrent git command
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().ConfigureAwait(false);
            await errors.ConfigureAwait(false);
            return process.ExitCode == 0 ? Parse(output) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static GitState? Parse(string porcelainV2)
    {
        string? commit = null;
        var changed = 0;
        foreach (var line in porcelainV2.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# branch.oid ", StringComparison.Ordinal)) commit = line["# branch.oid ".Length..].Trim();
            else if (!line.StartsWith('#')) changed++;
        }
        return commit is null ? null : new GitState(commit, changed > 0, changed);
    }
}
