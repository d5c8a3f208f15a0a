namespace MLOps.Pipelines.ML.Retraining;

/// <summary>Whether the CI platform started this run from a schedule (the generated nightly job).</summary>
public static class ScheduleTrigger
{
    /// <summary>GitHub Actions sets <c>GITHUB_EVENT_NAME=schedule</c>, GitLab <c>CI_PIPELINE_SOURCE=schedule</c>.</summary>
    public static bool IsScheduledRun(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment("GITHUB_EVENT_NAME") == "schedule" || environment("CI_PIPELINE_SOURCE") == "schedule";
    }
}
