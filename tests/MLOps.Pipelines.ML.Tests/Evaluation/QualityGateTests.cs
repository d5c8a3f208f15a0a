using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class QualityGateTests
{
    private static BinaryMetrics WithAuc(double auc) => new(100, 0.2, 0.5, auc, 0.5, 0.8, 0.5, 0.5, 0.5, 0.4, 0.1, new ConfusionMatrix(10, 10, 70, 10));

    [Fact]
    public void Under_the_threshold_fails_naming_the_parameter()
    {
        var result = QualityGate.Check(WithAuc(0.61), minAuc: 0.70, champion: null, tolerance: 0.01);
        result.Passed.ShouldBeFalse();
        result.Message.ShouldBe("Quality gate failed: AUC 0.61 is under the threshold 0.70 (--min-auc).");
    }

    [Fact]
    public void Worse_than_the_champion_beyond_tolerance_fails()
    {
        var result = QualityGate.Check(WithAuc(0.80), 0.70, new ChampionModel("v3", 0.83), 0.01);
        result.Passed.ShouldBeFalse();
        result.Message.ShouldBe("Quality gate failed: AUC 0.80 is 0.03 worse than champion v3 (0.83), tolerance 0.01 (--tolerance).");
    }

    [Fact]
    public void Within_tolerance_of_the_champion_passes()
    {
        var result = QualityGate.Check(WithAuc(0.825), 0.70, new ChampionModel("v3", 0.83), 0.01);
        result.Passed.ShouldBeTrue();
        result.Message.ShouldBe("Quality gate passed: AUC 0.825 ≥ threshold 0.70; champion v3 (0.83) within tolerance 0.01.");
    }

    [Fact]
    public void Both_failures_are_reported()
    {
        var result = QualityGate.Check(WithAuc(0.6), 0.7, new ChampionModel("v1", 0.9), 0.0);
        result.Passed.ShouldBeFalse();
        result.Message.ShouldContain("under the threshold 0.70");
        result.Message.ShouldContain("0.30 worse than champion v1 (0.90)");
    }

    [Fact]
    public void A_nan_auc_never_passes()
    {
        QualityGate.Check(WithAuc(double.NaN), 0.5, null, 0.01).Passed.ShouldBeFalse();
    }

    [Fact]
    public void Without_a_champion_only_the_threshold_counts()
    {
        var result = QualityGate.Check(WithAuc(0.71), 0.70, null, 0.01);
        result.Passed.ShouldBeTrue();
        result.Message.ShouldEndWith("no champion registered.");
    }
}
