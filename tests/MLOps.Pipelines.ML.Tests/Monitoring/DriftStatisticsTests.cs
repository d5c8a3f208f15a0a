using MLOps.Pipelines.ML.Monitoring;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>Each statistic against values computed with SciPy 1.10.1 (Debian python3-scipy) on the same inputs.</summary>
public sealed class DriftStatisticsTests
{
    private static readonly double[] A = [1.2, 3.4, 2.2, 5.0, 0.3, 2.2, 4.1, 3.3, 1.9, 2.8];
    private static readonly double[] B = [2.5, 4.4, 3.9, 6.1, 5.5, 3.3, 4.8, 2.9];

    [Fact]
    public void Psi_matches_the_formula_on_shares()
    {
        // Σ (r − c)·ln(r / c) over shares [.5 .3 .2] vs [.3 .3 .4] (numpy).
        DriftStatistics.PopulationStabilityIndex([50, 30, 20], [30, 30, 40]).ShouldBe(0.2407945608651872, 1e-12);
        DriftStatistics.PopulationStabilityIndex([10, 20, 30], [20, 40, 60]).ShouldBe(0, 1e-12);
    }

    [Fact]
    public void Psi_of_an_empty_bin_is_finite()
    {
        var psi = DriftStatistics.PopulationStabilityIndex([100, 0], [50, 50]);
        double.IsFinite(psi).ShouldBeTrue();
        psi.ShouldBeGreaterThan(0.2);
    }

    [Fact]
    public void Jensen_shannon_matches_scipy()
    {
        // scipy.spatial.distance.jensenshannon([.5,.3,.2], [.3,.3,.4]) and ([1,0], [0,1]).
        DriftStatistics.JensenShannonDistance([50, 30, 20], [30, 30, 40]).ShouldBe(0.1721147310381218, 1e-12);
        DriftStatistics.JensenShannonDistance([1, 0], [0, 1]).ShouldBe(0.8325546111576977, 1e-12);
        DriftStatistics.JensenShannonDistance([5, 5], [50, 50]).ShouldBe(0, 1e-12);
    }

    [Fact]
    public void Chi_square_matches_scipy_chisquare()
    {
        // scipy.stats.chisquare([30,30,40], f_exp=[50,30,20]) → 28.0, p 8.31528719103568e-07.
        var small = DriftStatistics.ChiSquare([50, 30, 20], [30, 30, 40]);
        small.Statistic.ShouldBe(28.0, 1e-9);
        small.DegreesOfFreedom.ShouldBe(2);
        small.PValue.ShouldBe(8.31528719103568e-07, 1e-15);
        // scipy.stats.chisquare([40,50,60,50], f_exp=[120,80,50,30]/280*200) → 79.8833…, p 3.2513276711024327e-17.
        var four = DriftStatistics.ChiSquare([120, 80, 50, 30], [40, 50, 60, 50]);
        four.Statistic.ShouldBe(79.88333333333334, 1e-9);
        four.PValue.ShouldBe(3.2513276711024327e-17, 1e-22);
    }

    [Fact]
    public void Chi_square_of_a_category_the_reference_never_saw_is_certain_drift()
    {
        var result = DriftStatistics.ChiSquare([10, 10, 0], [10, 10, 1]);
        result.PValue.ShouldBe(0);
    }

    [Theory]
    [InlineData(0.5, 0.9639452436648751)]
    [InlineData(1.0, 0.26999967167735456)]
    [InlineData(1.36, 0.049485876755377876)]
    [InlineData(2.0, 0.0006709252557796953)]
    public void Kolmogorov_survival_matches_scipy_special_kolmogorov(double lambda, double expected) =>
        DriftStatistics.KolmogorovSurvival(lambda).ShouldBe(expected, 1e-12);

    [Fact]
    public void Kolmogorov_smirnov_statistic_matches_scipy_ks_2samp()
    {
        // scipy.stats.ks_2samp(A, B).statistic = 0.5; kstwobign.sf(sqrt(80/18)·0.5) = 0.21646022494742512.
        var result = DriftStatistics.KolmogorovSmirnov(Exact(A), Exact(B));
        result.Statistic.ShouldBe(0.5, 1e-12);
        result.PValue.ShouldBe(0.21646022494742512, 1e-12);
    }

    [Fact]
    public void Wasserstein_matches_scipy_and_normalises_by_the_reference_deviation()
    {
        // scipy.stats.wasserstein_distance(A, B) = 1.535; divided by np.std(A): 1.1696108042202822.
        DriftStatistics.Wasserstein(Exact(A), Exact(B)).ShouldBe(1.535, 1e-12);
        DriftStatistics.NormalizedWasserstein(Exact(A), Exact(B)).ShouldBe(1.1696108042202822, 1e-12);
        DriftStatistics.Wasserstein(Exact(A), Exact(A)).ShouldBe(0, 1e-12);
    }

    [Fact]
    public void Binned_distribution_interpolates_inside_bins()
    {
        var binned = NumericDistribution.Binned([0, 10, 20], [30, 70]);
        binned.Cdf(5).ShouldBe(0.15, 1e-12);
        binned.Cdf(10).ShouldBe(0.3, 1e-12);
        binned.Cdf(25).ShouldBe(1);
        binned.CountsIn([0, 5, 20]).ShouldBe([15.0, 85.0]);
        Should.Throw<ArgumentException>(() => NumericDistribution.Binned([0, 0, 1], [1, 1])).Message.ShouldContain("increase");
    }

    private static NumericDistribution Exact(double[] values) =>
        NumericDistribution.Exact(values.GroupBy(v => v).ToDictionary(g => g.Key, g => (long)g.Count()));
}
