namespace MLOps.Pipelines.Internal.Execution;

/// <summary>What became of a planned target; always named in the summary.</summary>
internal enum TargetOutcome
{
    Succeeded,
    /// <summary>Its fingerprint and outputs matched the lock file: nothing to do.</summary>
    UpToDate,
    /// <summary>Its outputs came from the local or remote content store.</summary>
    Restored,
    /// <summary>Skipped on purpose (condition, <c>--skip</c>), with the reason.</summary>
    Skipped,
    Failed,
    /// <summary>Not run because an upstream target failed or the build was cancelled.</summary>
    NotRun,
}

internal static class TargetOutcomes
{
    /// <summary>Dependants may run after these.</summary>
    public static bool LetsDependantsRun(this TargetOutcome outcome) =>
        outcome is TargetOutcome.Succeeded or TargetOutcome.UpToDate or TargetOutcome.Restored or TargetOutcome.Skipped;
}

/// <summary>The result of one planned target.</summary>
internal sealed record TargetResult(string Target, TargetOutcome Outcome, TimeSpan Duration, string? Reason = null, Exception? Error = null);
