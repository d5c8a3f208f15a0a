using System.Globalization;

namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>The registered champion the new model is compared with.</summary>
public sealed record ChampionModel(string Version, double Auc);

public sealed record GateResult(bool Passed, string Message);

/// <summary>Pure pass/fail decision on a model's AUC; the caller turns a failure into exit code 1.</summary>
public static class QualityGate
{
    /// <param name="minAucParameter">How the user sets the threshold, named in the message.</param>
    public static GateResult Check(
        BinaryMetrics metrics, double minAuc, ChampionModel? champion, double tolerance,
        string minAucParameter = "--min-auc", string toleranceParameter = "--tolerance")
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (tolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"{toleranceParameter} must not be negative.");
        }

        var auc = metrics.Auc;
        var failures = new List<string>();
        if (!(auc >= minAuc))
        {
            failures.Add($"AUC {F(auc)} is under the threshold {F(minAuc)} ({minAucParameter})");
        }

        if (champion is not null && auc < champion.Auc - tolerance)
        {
            failures.Add($"AUC {F(auc)} is {F(champion.Auc - auc)} worse than champion {champion.Version} " +
                         $"({F(champion.Auc)}), tolerance {F(tolerance)} ({toleranceParameter})");
        }

        if (failures.Count > 0)
        {
            return new GateResult(false, "Quality gate failed: " + string.Join("; ", failures) + ".");
        }

        var versus = champion is null
            ? "no champion registered"
            : $"champion {champion.Version} ({F(champion.Auc)}) within tolerance {F(tolerance)}";
        return new GateResult(true, $"Quality gate passed: AUC {F(auc)} ≥ threshold {F(minAuc)}; {versus}.");
    }

    // Two decimals as people write AUCs, more only when needed to tell close values apart.
    private static string F(double value) => Math.Round(value, 4).ToString("0.00##", CultureInfo.InvariantCulture);
}
