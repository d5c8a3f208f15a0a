namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Pure curve arithmetic; curves are thinned to a bounded number of points for plotting.</summary>
public static class CurveCalculator
{
    public static EvaluationCurves Compute(
        IReadOnlyList<bool> labels, IReadOnlyList<float> probabilities, int calibrationBins = 10, int histogramBins = 50,
        int maxCurvePoints = 2000)
    {
        BinaryMetricsCalculator.RequireSameLength(labels, probabilities);
        long positives = labels.Count(l => l), negatives = labels.Count - positives;
        var roc = new List<CurvePoint> { new(0, 0) };
        var pr = new List<CurvePoint>();
        long tp = 0, fp = 0;
        foreach (var (_, group) in BinaryMetricsCalculator.DescendingThresholds(labels, probabilities))
        {
            tp += group.Positives;
            fp += group.Rows - group.Positives;
            roc.Add(new CurvePoint(negatives == 0 ? 0 : (double)fp / negatives, positives == 0 ? 0 : (double)tp / positives));
            pr.Add(new CurvePoint(positives == 0 ? 0 : (double)tp / positives, (double)tp / (tp + fp)));
        }

        return new EvaluationCurves(
            Thin(roc, maxCurvePoints), Thin(pr, maxCurvePoints),
            Calibration(labels, probabilities, calibrationBins), Histogram(labels, probabilities, histogramBins));
    }

    private static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<bool> labels, IReadOnlyList<float> p, int bins)
    {
        var sums = new double[bins];
        var hits = new long[bins];
        var counts = new long[bins];
        for (var i = 0; i < p.Count; i++)
        {
            var b = Bin(p[i], bins);
            sums[b] += p[i];
            counts[b]++;
            if (labels[i]) hits[b]++;
        }

        return Enumerable.Range(0, bins).Where(b => counts[b] > 0)
            .Select(b => new CalibrationBin(sums[b] / counts[b], (double)hits[b] / counts[b], counts[b])).ToArray();
    }

    private static ScoreHistogram Histogram(IReadOnlyList<bool> labels, IReadOnlyList<float> p, int bins)
    {
        var positives = new long[bins];
        var negatives = new long[bins];
        for (var i = 0; i < p.Count; i++)
        {
            if (labels[i]) positives[Bin(p[i], bins)]++;
            else negatives[Bin(p[i], bins)]++;
        }

        return new ScoreHistogram(Enumerable.Range(0, bins + 1).Select(b => (double)b / bins).ToArray(), positives, negatives);
    }

    private static int Bin(float probability, int bins) => Math.Clamp((int)(probability * bins), 0, bins - 1);

    private static IReadOnlyList<CurvePoint> Thin(List<CurvePoint> points, int max)
    {
        if (points.Count <= max) return points;
        var step = (double)(points.Count - 1) / (max - 1);
        return Enumerable.Range(0, max).Select(i => points[(int)Math.Round(i * step)]).ToArray();
    }
}
