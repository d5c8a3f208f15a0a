using MathNet.Numerics;

namespace MLOps.Pipelines.ML.Monitoring;

/// <summary>
/// The drift statistics, as pure functions of counts and distributions. They follow Evidently's definitions (and
/// SciPy's, which Evidently calls): PSI and Jensen–Shannon over shared bins, chi-square goodness of fit of the current
/// counts against the reference proportions, the two-sample Kolmogorov–Smirnov test, and the Wasserstein-1 distance
/// normalised by the reference's standard deviation.
/// </summary>
public static class DriftStatistics
{
    /// <summary>
    /// Population stability index Σ (r − c)·ln(r / c) over bin shares. Empty bins would make it infinite, so (as
    /// Evidently does) a zero share becomes 0.0001, or a millionth of the smallest non-zero share when that is smaller.
    /// </summary>
    public static double PopulationStabilityIndex(IReadOnlyList<double> referenceCounts, IReadOnlyList<double> currentCounts)
    {
        var r = FillZeros(Shares(referenceCounts));
        var c = FillZeros(Shares(currentCounts));
        double psi = 0;
        for (var i = 0; i < r.Length; i++) psi += (r[i] - c[i]) * Math.Log(r[i] / c[i]);
        return psi;
    }

    /// <summary>
    /// Jensen–Shannon distance (the square root of the divergence, natural logarithm, as SciPy's
    /// <c>jensenshannon</c>): 0 for equal distributions, √ln 2 ≈ 0.833 for disjoint ones.
    /// </summary>
    public static double JensenShannonDistance(IReadOnlyList<double> referenceCounts, IReadOnlyList<double> currentCounts)
    {
        var p = Shares(referenceCounts);
        var q = Shares(currentCounts);
        double divergence = 0;
        for (var i = 0; i < p.Length; i++)
        {
            var m = (p[i] + q[i]) / 2;
            if (p[i] > 0) divergence += p[i] * Math.Log(p[i] / m);
            if (q[i] > 0) divergence += q[i] * Math.Log(q[i] / m);
        }
        return Math.Sqrt(Math.Max(0, divergence / 2));
    }

    /// <summary>
    /// Pearson's chi-square goodness of fit of the current counts against the counts the reference proportions
    /// predict (Evidently's chi-square drift test); p from MathNet (the chi-square survival function, k − 1 degrees of
    /// freedom). A category the reference never saw makes the statistic infinite and p zero.
    /// </summary>
    public static TestResult ChiSquare(IReadOnlyList<double> referenceCounts, IReadOnlyList<double> currentCounts)
    {
        var expectedShares = Shares(referenceCounts);
        var n = currentCounts.Sum();
        double statistic = 0;
        var categories = 0;
        for (var i = 0; i < expectedShares.Length; i++)
        {
            if (expectedShares[i] == 0 && currentCounts[i] == 0) continue;
            categories++;
            var expected = expectedShares[i] * n;
            var diff = currentCounts[i] - expected;
            statistic += expected == 0 ? double.PositiveInfinity : diff * diff / expected;
        }
        var dof = Math.Max(1, categories - 1);
        // The survival function as MathNet's regularized upper incomplete gamma Q(k/2, x/2): 1 − ChiSquared.CDF would
        // round every p below ~1e-16 to zero.
        var p = double.IsPositiveInfinity(statistic) ? 0 : SpecialFunctions.GammaUpperRegularized(dof / 2.0, statistic / 2);
        return new TestResult(statistic, Math.Clamp(p, 0, 1), dof);
    }

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov: D = sup |F_ref − F_cur| over every value (exact distributions) or bin edge
    /// (binned), and the asymptotic p-value <see cref="KolmogorovSurvival"/>(√(n·m/(n+m))·D).
    /// </summary>
    public static TestResult KolmogorovSmirnov(NumericDistribution reference, NumericDistribution current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double d = 0;
        foreach (var x in reference.Points.Concat(current.Points))
            d = Math.Max(d, Math.Abs(reference.Cdf(x) - current.Cdf(x)));
        double n = reference.Total, m = current.Total;
        var p = n == 0 || m == 0 ? 1 : KolmogorovSurvival(Math.Sqrt(n * m / (n + m)) * d);
        return new TestResult(d, p);
    }

    /// <summary>
    /// P(K &gt; λ) of the Kolmogorov distribution: 2 Σ (−1)^(k−1) e^(−2k²λ²), the limit law of √n·D (SciPy's
    /// <c>scipy.special.kolmogorov</c>). MathNet.Numerics 5.0 has no Kolmogorov distribution; this series is the
    /// textbook one and converges in a handful of terms for λ ≥ 0.2; below that the p-value is 1 to double precision.
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (double.IsNaN(lambda)) return double.NaN;
        if (lambda < 0.2) return 1;
        double sum = 0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? 1 : -1) * term;
            if (term < 1e-17) break;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>
    /// Wasserstein-1 (earth mover's) distance ∫ |F_ref − F_cur| dx, exact for exact distributions (step CDFs) and
    /// with piecewise-linear CDFs inside bins otherwise.
    /// </summary>
    public static double Wasserstein(NumericDistribution reference, NumericDistribution current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        var points = reference.Points.Concat(current.Points).Distinct().Order().ToArray();
        double distance = 0;
        for (var i = 0; i + 1 < points.Length; i++)
        {
            // The CDFs are constant (steps) or linear (bins) between consecutive points: the midpoint gives the step's
            // value exactly and the linear part's mean.
            var mid = (points[i] + points[i + 1]) / 2;
            distance += Math.Abs(reference.Cdf(mid) - current.Cdf(mid)) * (points[i + 1] - points[i]);
        }
        return distance;
    }

    /// <summary>Wasserstein distance divided by the reference's standard deviation (at least 0.001), as Evidently's "normed" test.</summary>
    public static double NormalizedWasserstein(NumericDistribution reference, NumericDistribution current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (_, sd) = reference.Moments();
        return Wasserstein(reference, current) / Math.Max(double.IsNaN(sd) ? 0 : sd, 0.001);
    }

    private static double[] Shares(IReadOnlyList<double> counts)
    {
        var total = counts.Sum();
        return counts.Select(c => total > 0 ? c / total : 0).ToArray();
    }

    private static double[] FillZeros(double[] shares)
    {
        var smallest = shares.Where(s => s > 0).DefaultIfEmpty(0.0001).Min();
        var fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
        return shares.Select(s => s == 0 ? fill : s).ToArray();
    }
}
