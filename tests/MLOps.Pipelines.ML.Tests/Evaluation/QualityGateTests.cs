using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class QualityGateTests
{
    private static Dictionary<string, double> WithAuc(double auc) => new() { ["auc"] = auc, ["log_loss"] = 0.4 };

    private static QualityGatePolicy Auc(double threshold, double tolerance, string thresholdParameter = "--min-auc") =>
        new("auc", threshold, tolerance, thresholdParameter, "--tolerance");

    [Fact]
    public void Under_the_threshold_fails_naming_the_parameter_with_the_metrics()
    {
        var result = QualityGate.Check(WithAuc(0.61), Auc(0.70, 0.01), champion: null);
        result.Passed.ShouldBeFalse();
        result.Message.ShouldBe("Quality gate failed: AUC 0.61 is under the threshold 0.70 (--min-auc). Test metrics: auc 0.61, log_loss 0.40.");
        (result.Metric, result.Value, result.Threshold).ShouldBe(("auc", 0.61, 0.70));
    }

    [Fact]
    public void Worse_than_the_champion_beyond_tolerance_fails()
    {
        var result = QualityGate.Check(WithAuc(0.80), Auc(0.70, 0.01), new ChampionModel("v3", 0.83));
        result.Passed.ShouldBeFalse();
        result.Message.ShouldStartWith("Quality gate failed: AUC 0.80 is 0.03 worse than champion v3 (0.83), tolerance 0.01 (--tolerance).");
    }

    [Fact]
    public void Within_tolerance_of_the_champion_passes()
    {
        var result = QualityGate.Check(WithAuc(0.825), Auc(0.70, 0.01), new ChampionModel("v3", 0.83));
        result.Passed.ShouldBeTrue();
        result.Message.ShouldBe("Quality gate passed: AUC 0.825 ≥ threshold 0.70; champion v3 (0.83) within tolerance 0.01.");
    }

    [Fact]
    public void Both_failures_are_reported()
    {
        var result = QualityGate.Check(WithAuc(0.6), Auc(0.7, 0.0), new ChampionModel("v1", 0.9));
        result.Passed.ShouldBeFalse();
        result.Message.ShouldContain("under the threshold 0.70");
        result.Message.ShouldContain("0.30 worse than champion v1 (0.90)");
    }

    [Fact]
    public void A_nan_or_missing_metric_never_passes()
    {
        QualityGate.Check(WithAuc(double.NaN), Auc(0.5, 0.01), null).Passed.ShouldBeFalse();
        QualityGate.Check(new Dictionary<string, double>(), Auc(0.5, 0.01), null).Passed.ShouldBeFalse();
    }

    [Fact]
    public void Without_a_champion_only_the_threshold_counts()
    {
        var result = QualityGate.Check(WithAuc(0.71), Auc(0.70, 0.01), null);
        result.Passed.ShouldBeTrue();
        result.Message.ShouldEndWith("no champion registered.");
    }

    [Fact]
    public void A_loss_must_stay_under_its_threshold_and_worse_means_higher()
    {
        var loss = new QualityGatePolicy("log_loss", 0.5, 0.02);
        QualityGate.Check(new Dictionary<string, double> { ["log_loss"] = 0.45 }, loss, new ChampionModel("v2", 0.44)).Passed.ShouldBeTrue();
        var over = QualityGate.Check(new Dictionary<string, double> { ["log_loss"] = 0.55 }, loss, null);
        over.Message.ShouldStartWith("Quality gate failed: log-loss 0.55 is over the threshold 0.50 (--gate-threshold)");
        var worse = QualityGate.Check(new Dictionary<string, double> { ["log_loss"] = 0.48 }, loss, new ChampionModel("v2", 0.40));
        worse.Message.ShouldContain("log-loss 0.48 is 0.08 worse than champion v2 (0.40)");
    }

    [Fact]
    public void Macro_f1_gates_a_multiclass_model()
    {
        var policy = new QualityGatePolicy("macro_f1", 0.9, 0.01);
        QualityGate.Check(new Dictionary<string, double> { ["macro_f1"] = 0.95, ["log_loss"] = 0.1 }, policy, null).Message
            .ShouldBe("Quality gate passed: macro-F1 0.95 ≥ threshold 0.90; no champion registered.");
        QualityGate.Check(new Dictionary<string, double> { ["macro_f1"] = 0.85, ["log_loss"] = 0.3 }, policy, null).Message
            .ShouldBe("Quality gate failed: macro-F1 0.85 is under the threshold 0.90 (--gate-threshold). Test metrics: macro_f1 0.85, log_loss 0.30.");
    }

    [Theory]
    [InlineData(double.NaN, 0.01)]
    [InlineData(0.7, double.NaN)]
    [InlineData(0.7, -0.01)]
    public void Non_finite_or_negative_bounds_are_refused_naming_the_parameter(double threshold, double tolerance)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => QualityGate.Check(WithAuc(0.8), new QualityGatePolicy("auc", threshold, tolerance), null))
            .Message.ShouldContain(double.IsNaN(threshold) ? "--gate-threshold" : "--champion-tolerance");
    }
}
