namespace MLOps.Pipelines.CI;

/// <summary>
/// Adds a pipeline to <c>.gitlab-ci.yml</c> (one file for all attributes; each pipeline's jobs carry its rules).
/// A named pipeline prefixes its job names with its name; at most one may be unnamed.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class GitLabAttribute(string? name = null) : CiAttribute
{
    public string? Name { get; } = name;

    /// <summary>The Docker image jobs run in.</summary>
    public string Image { get; set; } = "mcr.microsoft.com/dotnet/sdk:10.0";

    /// <summary>The time zone of <see cref="CiAttribute.OnCronSchedule"/> for the schedule created through the API.</summary>
    public string CronTimezone { get; set; } = "UTC";

    /// <summary>The branch or tag the schedule runs on.</summary>
    public string ScheduleRef { get; set; } = "main";

    /// <summary>The CI/CD variable holding a project access token (write_repository) the commit-back job pushes with.</summary>
    public string CommitBackTokenVariable { get; set; } = "CI_PUSH_TOKEN";
}
