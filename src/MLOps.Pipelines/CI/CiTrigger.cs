namespace MLOps.Pipelines.CI;

/// <summary>Events that start a generated pipeline. A cron schedule is set with <c>OnCronSchedule</c>.</summary>
public enum CiTrigger
{
    /// <summary>A push of branches or tags (GitLab: <c>$CI_PIPELINE_SOURCE == "push"</c>).</summary>
    Push,
    /// <summary>A pull request (GitLab: a merge request pipeline).</summary>
    PullRequest,
    /// <summary>A manual run with inputs (GitHub <c>workflow_dispatch</c>; GitLab "Run pipeline", source <c>web</c>).</summary>
    WorkflowDispatch,
}
