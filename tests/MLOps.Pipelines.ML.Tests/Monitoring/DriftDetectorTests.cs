using MLOps.Pipelines.ML.Monitoring;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>Method choice, thresholds and the data-set verdict on hand-made profiles.</summary>
public sealed class DriftDetectorTests
{
    [Fact]
    public void Small_references_use_the_tests_and_large_ones_the_distances()
    {
        var small = Profile(500, shift: 0);
        var large = Profile(5000, shift: 0);
        var report = DriftDetector.Compare(small, Profile(500, shift: 0));
        report.Features.Single(f => f.Feature == "x").Method.ShouldBe("ks_p_value");
        report.Features.Single(f => f.Feature == "c").Method.ShouldBe("chi_square_p_value");
        var big = DriftDetector.Compare(large, Profile(5000, shift: 0));
        big.Features.Single(f => f.Feature == "x").Method.ShouldBe("wasserstein_normed");
        big.Features.Single(f => f.Feature == "c").Method.ShouldBe("jensen_shannon");
        big.Detected.ShouldBeFalse();
        big.Verdict.ShouldBe("drift: none (0 of 3 features)");
    }

    [Fact]
    public void Shifted_features_drift_and_the_share_decides_the_data_set()
    {
        var report = DriftDetector.Compare(Profile(5000, shift: 0), Profile(5000, shift: 30));
        report.Features.Single(f => f.Feature == "x").Drifted.ShouldBeTrue();
        report.Features.Single(f => f.Feature == "few").Drifted.ShouldBeFalse();
        report.DriftedCount.ShouldBe(1);
        report.Detected.ShouldBeFalse(); // 1 of 3 < 50 %
        DriftDetector.Compare(Profile(5000, shift: 0), Profile(5000, shift: 30), DriftOptions.Default with { DriftShare = 0.3 })
            .Verdict.ShouldBe("drift: detected (1 of 3 features)");
    }

    [Fact]
    public void A_seasonal_feature_is_reported_but_not_counted()
    {
        var options = DriftOptions.Default with { SeasonalFeatures = ["x"], DriftShare = 0.3 };
        var report = DriftDetector.Compare(Profile(5000, shift: 0), Profile(5000, shift: 30), options);
        report.Features.Single(f => f.Feature == "x").Drifted.ShouldBeTrue();
        report.SeasonalDrifted.ShouldBe(["x"]);
        report.Verdict.ShouldBe("drift: none (0 of 2 features)");
    }

    [Fact]
    public void Few_distinct_numeric_values_are_compared_as_categories()
    {
        var report = DriftDetector.Compare(Profile(5000, shift: 0), Profile(5000, shift: 0));
        var few = report.Features.Single(f => f.Feature == "few");
        few.ComparedAsCategorical.ShouldBeTrue();
        few.Method.ShouldBe("jensen_shannon");
    }

    [Fact]
    public void Every_threshold_is_an_option_and_bad_values_are_named()
    {
        var report = DriftDetector.Compare(Profile(5000, shift: 0), Profile(5000, shift: 30), DriftOptions.Default with { Method = DriftMethod.Psi, PsiSignificant = 1e6 });
        report.Features.ShouldAllBe(f => !f.Drifted);
        Should.Throw<ArgumentOutOfRangeException>(() => DriftDetector.Compare(Profile(10, 0), Profile(10, 0), DriftOptions.Default with { PValue = 1.5 }))
            .Message.ShouldContain("PValue");
        Should.Throw<ArgumentException>(() => DriftDetector.Compare(Profile(10, 0), Profile(10, 0), DriftOptions.Default with { SeasonalFeatures = ["nope"] }))
            .Message.ShouldContain("'nope'");
    }

    [Fact]
    public void A_batch_without_a_reference_feature_is_a_clear_error()
    {
        var reference = Profile(10, 0);
        var partial = reference with { Categorical = new Dictionary<string, CategoricalDistribution>() };
        Should.Throw<InvalidDataException>(() => DriftDetector.Compare(reference, partial)).Message.ShouldContain("no categorical feature 'c'");
    }

    /// <summary>x: n values spread over 0..99 (+shift); few: 3 values; c: 4 categories.</summary>
    private static FeatureProfile Profile(int n, int shift)
    {
        var x = new Dictionary<double, long>();
        for (var i = 0; i < n; i++) x[(i % 100) + shift] = x.GetValueOrDefault((i % 100) + shift) + 1;
        var few = new Dictionary<double, long> { [1] = n / 2, [2] = n / 4, [3] = n - (n / 2) - (n / 4) };
        var c = new Dictionary<string, long> { ["a"] = n / 4, ["b"] = n / 4, ["c"] = n / 4, ["d"] = n - (3 * (n / 4)) };
        return new FeatureProfile(n,
            new Dictionary<string, NumericDistribution> { ["x"] = NumericDistribution.Exact(x), ["few"] = NumericDistribution.Exact(few) },
            new Dictionary<string, CategoricalDistribution> { ["c"] = new(c) });
    }
}
