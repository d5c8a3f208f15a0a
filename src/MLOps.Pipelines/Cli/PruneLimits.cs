using System.Globalization;
using MLOps.Pipelines.Caching;

namespace MLOps.Pipelines.Cli;

/// <summary>Reads <c>--prune-cache 30d 5GB</c>: an age (d, h) and/or a total size (KB, MB, GB).</summary>
internal static class PruneLimits
{
    public static PruneOptions Parse(IReadOnlyList<string> values)
    {
        TimeSpan? age = null;
        long? size = null;
        foreach (var value in values)
        {
            var text = value.Trim().ToUpperInvariant();
            if (TryNumber(text, "D", out var days)) age = TimeSpan.FromDays(days);
            else if (TryNumber(text, "H", out var hours)) age = TimeSpan.FromHours(hours);
            else if (TryNumber(text, "GB", out var gb)) size = (long)(gb * 1024 * 1024 * 1024);
            else if (TryNumber(text, "MB", out var mb)) size = (long)(mb * 1024 * 1024);
            else if (TryNumber(text, "KB", out var kb)) size = (long)(kb * 1024);
            else throw new BuildConfigurationException($"--prune-cache {value}: expected an age such as 30d or 12h, or a size such as 5GB or 500MB.");
        }
        if (age is null && size is null)
            throw new BuildConfigurationException("--prune-cache needs a limit: an age such as 30d, a size such as 5GB, or both.");
        return new PruneOptions(age, size);
    }

    static bool TryNumber(string text, string unit, out double number)
    {
        number = 0;
        return text.EndsWith(unit, StringComparison.Ordinal)
            && double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out number) && number >= 0;
    }
}
