using System.Globalization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// The rejected share next to the allowed one, as percentages with as many decimals as it takes to tell them apart
/// (1 bad row in 3 million against an allowed 0 is "0.00003 %" over "0 %", not "0.00 %" over "0.00 %").
/// </summary>
internal static class RejectedShare
{
    public static (string Share, string Allowed) Format(double share, double allowed)
    {
        for (var decimals = 2; decimals < 12; decimals++)
        {
            var (a, b) = (Percent(share, decimals), Percent(allowed, decimals));
            if (a != b && Math.Round(share * 100, decimals) != 0) return (a, b);
        }

        return (Percent(share, 12), Percent(allowed, 12));
    }

    static string Percent(double fraction, int decimals) =>
        (fraction * 100).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture) + " %";
}
