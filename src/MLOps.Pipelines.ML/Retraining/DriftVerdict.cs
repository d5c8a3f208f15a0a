using System.Globalization;
using System.Text.RegularExpressions;

namespace MLOps.Pipelines.ML.Retraining;

/// <summary>
/// Monitor's data-set drift verdict: whether the alarm fired and how many of the features drifted. Its text form is the
/// verdict line Monitor prints, <c>drift: detected (3 of 5 features)</c> or <c>drift: none (0 of 5 features)</c>.
/// </summary>
public sealed partial record DriftVerdict(bool Detected, int DriftedFeatures, int Features)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"drift: {(Detected ? "detected" : "none")} ({DriftedFeatures} of {Features} features)");

    /// <summary>Reads a verdict line; a line that is not one is an error naming what was expected.</summary>
    public static DriftVerdict Parse(string line)
    {
        var match = Line().Match(line ?? "");
        if (!match.Success)
            throw new FormatException($"'{line}' is not a drift verdict: expected 'drift: detected (k of n features)' or 'drift: none (k of n features)'.");
        var drifted = int.Parse(match.Groups["k"].Value, CultureInfo.InvariantCulture);
        var features = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        if (drifted > features)
            throw new FormatException($"'{line}': {drifted} drifted features of only {features}.");
        return new DriftVerdict(match.Groups["state"].Value == "detected", drifted, features);
    }

    [GeneratedRegex(@"drift:\s*(?<state>detected|none)\s*\((?<k>\d+)\s+of\s+(?<n>\d+)\s+features?\)")]
    private static partial Regex Line();
}
