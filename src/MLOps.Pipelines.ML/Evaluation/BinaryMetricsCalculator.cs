namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Pure metric arithmetic over labels and probabilities.</summary>
public static class BinaryMetricsCalculator
{
    private const double ProbabilityClip = 1e-15;

    public static BinaryMetrics Compute(IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities, double threshold = 0.5)
    {
        RequireSameLength(labels, probabilities);
        long positives = labels.Count(l => l);
        long negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException(
                $"Evaluation needs both classes; the data has {positives} positive and {negatives} negative rows. " +
                "Use a larger or stratified evaluation split.", nameof(labels));
        }

        var confusion = Confusion(labels, probabilities, threshold);
        double precision = Ratio(confusion.TruePositives, confusion.TruePositives + confusion.FalsePositives);
        double recall = Ratio(confusion.TruePositives, positives);
        double logLoss = 0, brier = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            double p = probabilities[i], y = labels[i] ? 1 : 0;
            var clipped = Math.Clamp(p, ProbabilityClip, 1 - ProbabilityClip);
            logLoss -= y * Math.Log(clipped) + (1 - y) * Math.Log(1 - clipped);
            brier += (p - y) * (p - y);
        }

        return new BinaryMetrics(
            Rows: labels.Count,
            PositiveRate: (double)positives / labels.Count,
            Threshold: threshold,
            Auc: Auc(labels, probabilities),
            PrAuc: AveragePrecision(labels, probabilities),
            Accuracy: (double)(confusion.TruePositives + confusion.TrueNegatives) / labels.Count,
            Precision: precision,
            Recall: recall,
            F1: precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall),
            LogLoss: logLoss / labels.Count,
            Brier: brier / labels.Count,
            Confusion: confusion);
    }

    public static ConfusionMatrix Confusion(IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities, double threshold)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = probabilities[i] >= threshold;
            if (predicted) { if (labels[i]) tp++; else fp++; }
            else { if (labels[i]) fn++; else tn++; }
        }

        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    /// <summary>Area under the ROC curve by the rank-sum statistic, ties sharing their average rank; NaN with one class.</summary>
    public static double Auc(IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        RequireSameLength(labels, scores);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]]) { positiveRankSum += averageRank; positives++; }
            }

            start = end + 1;
        }

        long negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Average precision: sum over thresholds of (recall step) × precision, tied scores taken together.</summary>
    public static double AveragePrecision(IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        long positives = labels.Count(l => l);
        if (positives == 0) return double.NaN;
        double ap = 0;
        long tp = 0, seen = 0;
        foreach (var (_, group) in DescendingThresholds(labels, scores))
        {
            tp += group.Positives;
            seen += group.Rows;
            if (group.Positives > 0) ap += (double)group.Positives / positives * ((double)tp / seen);
        }

        return ap;
    }

    /// <summary>Rows grouped by distinct score, highest score first.</summary>
    internal static IEnumerable<(float Score, (long Rows, long Positives) Group)> DescendingThresholds(
        IReadOnlyList<bool> labels, IReadOnlyList<float> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        for (var start = 0; start < order.Length;)
        {
            var score = scores[order[start]];
            long rows = 0, pos = 0;
            var k = start;
            for (; k < order.Length && scores[order[k]] == score; k++)
            {
                rows++;
                if (labels[order[k]]) pos++;
            }

            yield return (score, (rows, pos));
            start = k;
        }
    }

    internal static void RequireSameLength<T>(IReadOnlyList<bool> labels, IReadOnlyList<T> values)
    {
        if (labels.Count != values.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {values.Count} scores.", nameof(values));
        }
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
