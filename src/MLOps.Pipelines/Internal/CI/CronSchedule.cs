using System.Text.RegularExpressions;
using Cronos;
using MLOps.Pipelines.CI;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>Validates the five-field cron expressions both platforms accept and lists their next occurrences.</summary>
internal static partial class CronSchedule
{
    /// <summary>Throws <see cref="CiConfigurationException"/> naming <paramref name="where"/> when the expression is not valid.</summary>
    public static void Validate(string cron, string where) => Parse(cron, where);

    /// <summary>The next <paramref name="count"/> times the schedule fires after <paramref name="from"/>, in <paramref name="zone"/> (UTC by default).</summary>
    public static IReadOnlyList<DateTimeOffset> NextOccurrences(string cron, DateTimeOffset from, int count, TimeZoneInfo? zone = null)
    {
        var expression = Parse(cron, "cron schedule");
        var result = new List<DateTimeOffset>(count);
        var next = from;
        for (var i = 0; i < count; i++)
        {
            var occurrence = expression.GetNextOccurrence(next, zone ?? TimeZoneInfo.Utc);
            if (occurrence is null)
                break;
            result.Add(occurrence.Value);
            next = occurrence.Value;
        }
        return result;
    }

    /// <summary>Lines for the console: the expression and its next occurrences in ISO 8601.</summary>
    public static string Describe(string cron, DateTimeOffset from, int count, TimeZoneInfo? zone = null)
    {
        var zoneName = (zone ?? TimeZoneInfo.Utc).Id;
        var lines = NextOccurrences(cron, from, count, zone)
            .Select(o => "  " + o.ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture));
        return $"cron \"{cron}\" ({zoneName}), next {count} runs:\n" + string.Join("\n", lines);
    }

    static CronExpression Parse(string cron, string where)
    {
        const string fix = "Use five fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\" for 03:00 every day.";
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
            throw new CiConfigurationException($"{where}: cron \"{cron}\" has {fields.Length} field(s). {fix}");
        // Cronos also accepts Quartz extensions (L, W, #, ?) that GitHub and GitLab reject.
        if (fields.Any(f => !PosixField().IsMatch(f)))
            throw new CiConfigurationException(
                $"{where}: cron \"{cron}\" uses characters outside POSIX cron (digits, names, * , - /). {fix}");
        try
        {
            return CronExpression.Parse(cron, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new CiConfigurationException($"{where}: cron \"{cron}\" is not valid: {e.Message} {fix}");
        }
    }

    [GeneratedRegex(@"^(?:\*|[0-9]+|[A-Za-z]{3})(?:-(?:[0-9]+|[A-Za-z]{3}))?(?:/[0-9]+)?(?:,(?:\*|[0-9]+|[A-Za-z]{3})(?:-(?:[0-9]+|[A-Za-z]{3}))?(?:/[0-9]+)?)*$")]
    private static partial Regex PosixField();
}
