using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.CI;

public sealed class CronScheduleTests
{
    [Fact]
    public void The_nightly_schedule_fires_at_three_every_day()
    {
        var from = new DateTimeOffset(2025, 3, 30, 12, 0, 0, TimeSpan.Zero);

        CronSchedule.NextOccurrences("0 3 * * *", from, 3).ShouldBe([
            new DateTimeOffset(2025, 3, 31, 3, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 4, 1, 3, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2025, 4, 2, 3, 0, 0, TimeSpan.Zero),
        ]);
    }

    [Fact]
    public void Occurrences_respect_the_time_zone_across_a_daylight_saving_change()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var from = new DateTimeOffset(2025, 3, 29, 12, 0, 0, TimeSpan.Zero);

        var next = CronSchedule.NextOccurrences("0 3 * * *", from, 2, berlin);

        next[0].ShouldBe(new DateTimeOffset(2025, 3, 30, 3, 0, 0, TimeSpan.FromHours(2)));
        next[1].ShouldBe(new DateTimeOffset(2025, 3, 31, 3, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Weekday_names_and_steps_are_accepted_and_described()
    {
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        CronSchedule.Describe("*/30 6-7 * * MON-FRI", from, 3).ShouldBe(
            "cron \"*/30 6-7 * * MON-FRI\" (UTC), next 3 runs:\n  2025-01-01 06:00 +00:00\n  2025-01-01 06:30 +00:00\n  2025-01-01 07:00 +00:00");
    }

    [Theory]
    [InlineData("61 * * * *")]
    [InlineData("0 3 * * MON#1")]
    [InlineData("0 3 1W * *")]
    [InlineData("")]
    public void Invalid_expressions_are_refused(string cron) =>
        Should.Throw<CiConfigurationException>(() => CronSchedule.Validate(cron, "test")).Message.ShouldStartWith("test: cron");
}
