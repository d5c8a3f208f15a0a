using System.Globalization;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Cli;

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
            // Bounded so that no value overflows a TimeSpan or a long (1e10d once crashed the process): 100 years, 2^62 bytes.
            if (TryNumber(text, "D", 36_500, out var days)) age = TimeSpan.FromDays(days);
            else if (TryNumber(text, "H", 876_000, out var hours)) age = TimeSpan.FromHours(hours);
            else if (TryNumber(text, "GB", (1L << 62) / (1L << 30), out var gb)) size = (long)(gb * 1024 * 1024 * 1024);
            else if (TryNumber(text, "MB", (1L << 62) / (1L << 20), out var mb)) size = (long)(mb * 1024 * 1024);
            else if (TryNumber(text, "KB", (1L << 62) / (1L << 10), out var kb)) size = (long)(kb * 1024);
            else throw new BuildConfigurationException($"--prune-cache {value}: expected an age such as 30d or 12h, or a size such as 5GB or 500MB (ages up to 36500d).");
        }
        if (age is null && size is null)
            throw new BuildConfigurationException("--prune-cache needs a limit: an age such as 30d, a size such as 5GB, or both.");
        return new PruneOptions(age, size);
    }

    static bool TryNumber(string text, string unit, double max, out double number)
    {
        number = 0;
        return text.EndsWith(unit, StringComparison.Ordinal)
            && double.TryParse(text[..^unit.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number) && number >= 0 && number <= max;
    }
}
