namespace MLOps.Pipelines.Internal.CI.Schedules;

/// <summary>A GitLab pipeline schedule as the Pipeline Schedules API takes it; identified by its description.</summary>
/// <param name="Ref">The branch or tag the scheduled pipeline runs on.</param>
/// <param name="CronTimezone">An ActiveSupport time zone name, e.g. <c>UTC</c> or <c>Europe/Berlin</c>.</param>
/// <param name="Variables">Variables the scheduled pipeline gets, in key order.</param>
internal sealed record GitLabPipelineSchedule(
    string Description,
    string Ref,
    string Cron,
    string CronTimezone,
    IReadOnlyDictionary<string, string> Variables);

/// <param name="Action"><c>created</c>, <c>updated</c>, or <c>printed</c> when no token was given.</param>
/// <param name="ScheduleId">The schedule's id in GitLab; null when printed.</param>
/// <param name="Text">What happened, or the exact requests to make when no token was given.</param>
internal sealed record GitLabScheduleOutcome(string Action, int? ScheduleId, string Text);
