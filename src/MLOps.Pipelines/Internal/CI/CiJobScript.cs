using MLOps.Pipelines.CI;
namespace MLOps.Pipelines.Internal.CI;

/// <summary>
/// The shell a generated job runs, the same on both platforms: the build invocation with the job-state flags that
/// carry lock entries and shared files from job to job, and the commit-back job's script.
/// </summary>
internal static class CiJobScript
{
    /// <summary>Where a job's state folder goes (uploaded with its artifacts), per job id.</summary>
    public static string StateFolder(CiBuild build, string jobId) => $"{build.JobStateFolder}/{jobId}";

    /// <summary>The paths a job uploads: its targets' outputs, its state folder, and any commit message file.</summary>
    public static IReadOnlyList<string> ArtifactPaths(CiAttribute attribute, CiBuild build, CiJob job)
    {
        if (!attribute.PublishArtifacts)
            return job.ArtifactPaths;
        var paths = job.ArtifactPaths.Append(StateFolder(build, job.Id) + "/");
        if (attribute.CommitMessageFile is { } message)
            paths = paths.Append($"{attribute.CommitMessageFolder.TrimEnd('/')}/**/{message}");
        return paths.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// <c>./build.sh Targets --job-state-in (ancestors) --job-state-out (own) --job-state-files (globs)</c>: upstream
    /// targets are then up to date from this run's lock entries and artifacts, never re-run. Without artifacts there
    /// is nothing to be up to date against, so upstream targets are skipped (<c>--skip</c>).
    /// </summary>
    public static string Build(CiAttribute attribute, CiBuild build, CiJob job)
    {
        var command = $"{build.BuildScript} {string.Join(' ', job.TargetNames)}";
        if (!attribute.PublishArtifacts)
            return command + " --skip";
        if (job.Ancestors.Count > 0)
            command += " --job-state-in " + string.Join(' ', job.Ancestors.Select(a => StateFolder(build, a)));
        // A target without outputs ran in its own job and left nothing to be up to date against: skip it here.
        var ranUpstream = Upstream(build, job).Where(t => t.AlwaysRuns).Select(t => t.Name).ToList();
        if (ranUpstream.Count > 0)
            command += " --skip " + string.Join(' ', ranUpstream);
        command += " --job-state-out " + StateFolder(build, job.Id);
        var files = StateFiles(attribute);
        if (files.Count > 0)
            command += " --job-state-files " + string.Join(' ', files.Select(Quote));
        return command;
    }

    /// <summary>The targets upstream of the job's own ones, in the build's declaration order.</summary>
    static IEnumerable<CiTarget> Upstream(CiBuild build, CiJob job)
    {
        var own = job.TargetNames.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(job.Targets.SelectMany(t => t.DependsOn));
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (own.Contains(name) || !seen.Add(name) || build.FindTarget(name) is not { } target)
                continue;
            foreach (var dependency in target.DependsOn)
                pending.Push(dependency);
        }
        return build.Targets.Where(t => seen.Contains(t.Name));
    }

    /// <summary>The globs carried as shared files: <see cref="CiAttribute.StatePaths"/> and what is committed back (the lock travels as fragments).</summary>
    public static IReadOnlyList<string> StateFiles(CiAttribute attribute) =>
        attribute.StatePaths.Concat(attribute.CommitBackPaths)
            .Where(p => p != LockFile.FileName)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>The commit-back job's id.</summary>
    public const string CommitBackJobId = "commit-back";

    /// <summary>
    /// Merges every job state present (jobs a dispatch left out have none), stages the paths, and commits and pushes
    /// when anything changed; the message is the message files' lines, else the fallback.
    /// </summary>
    public static IReadOnlyList<string> CommitBack(CiAttribute attribute, CiBuild build, string pushCommand)
    {
        var message = attribute.CommitMessageFile is { } file
            ? $"message=$(find {Quote(attribute.CommitMessageFolder)} -type f -name {Quote(file)} 2>/dev/null | LC_ALL=C sort | xargs -r cat)"
            : "message=";
        return
        [
            $"set -- {build.JobStateFolder}/*/\nif [ -d \"$1\" ]; then {build.BuildScript} --job-state-in \"$@\"; fi",
            "git config user.name \"MLOps.Pipelines CI\"\ngit config user.email \"ci@mlops-pipelines.invalid\"",
            // One path at a time: a pathspec that matches nothing (no registry yet) is not an error here.
            $"for path in {string.Join(' ', attribute.CommitBackPaths.Select(Quote))}; do git add -A -- \"$path\" 2>/dev/null || true; done",
            "if git diff --cached --quiet; then echo \"commit-back: nothing changed, no commit\"; exit 0; fi",
            message + $"\nif [ -z \"$message\" ]; then message={Quote(attribute.CommitMessageFallback)}; fi\ngit commit -q -m \"$message\"\ngit log -1 --format=%B",
            pushCommand,
        ];
    }

    /// <summary>The family key of every target in the job when they share one (<c>Train@FlightDelays</c> → FlightDelays), else null.</summary>
    public static string? InstanceKey(CiJob job)
    {
        var keys = job.TargetNames.Select(n => n.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 ? n[(at + 1)..] : null).Distinct().ToList();
        return keys is [{ } key] ? key : null;
    }

    /// <summary>A word for a POSIX shell: single-quoted unless it needs no quoting.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or ':' or '=')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
