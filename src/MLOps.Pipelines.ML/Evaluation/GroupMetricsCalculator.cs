namespace MLOps.Pipelines.ML.Evaluation;

public static class GroupMetricsCalculator
{
    public const string OtherGroup = "(other)";

    /// <summary>
    /// Slices rows by <paramref name="groups"/>; values beyond the <paramref name="maxGroups"/> most frequent are
    /// pooled as "(other)" (flights: the largest origin airports, the rest together). Slices are ordered by size.
    /// </summary>
    public static GroupMetrics Compute(
        string column, IReadOnlyList<string> groups, IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities,
        double threshold = 0.5, int maxGroups = 10)
    {
        BinaryMetricsCalculator.RequireSameLength(labels, groups);
        BinaryMetricsCalculator.RequireSameLength(labels, probabilities);
        var kept = groups.GroupBy(g => g, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(maxGroups).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var rowsByGroup = Enumerable.Range(0, groups.Count)
            .GroupBy(i => kept.Contains(groups[i]) ? groups[i] : OtherGroup, StringComparer.Ordinal);

        var slices = rowsByGroup.Select(g => Slice(g.Key, g.ToArray(), labels, probabilities, threshold))
            .OrderBy(s => s.Value == OtherGroup).ThenByDescending(s => s.Rows).ThenBy(s => s.Value, StringComparer.Ordinal).ToArray();
        var tprs = slices.Where(s => s.TruePositiveRate is not null).Select(s => s.TruePositiveRate!.Value).ToArray();
        return new GroupMetrics(
            column,
            slices,
            slices.Max(s => s.PredictedPositiveRate) - slices.Min(s => s.PredictedPositiveRate),
            tprs.Length > 0 ? tprs.Max() - tprs.Min() : null);
    }

    private static GroupSlice Slice(string value, int[] rows, IReadOnlyList<bool> labels, IReadOnlyList<float> p, double threshold)
    {
        var sliceLabels = rows.Select(i => labels[i]).ToArray();
        var sliceScores = rows.Select(i => p[i]).ToArray();
        long positives = sliceLabels.Count(l => l);
        long predicted = sliceScores.Count(s => s >= threshold);
        long truePositives = rows.Count(i => labels[i] && p[i] >= threshold);
        var auc = BinaryMetricsCalculator.Auc(sliceLabels, sliceScores);
        return new GroupSlice(
            value,
            rows.Length,
            (double)positives / rows.Length,
            (double)predicted / rows.Length,
            positives == 0 ? null : (double)truePositives / positives,
            double.IsNaN(auc) ? null : auc);
    }
}
