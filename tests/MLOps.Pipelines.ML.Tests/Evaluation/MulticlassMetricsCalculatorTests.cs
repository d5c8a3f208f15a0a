using MLOps.Pipelines.ML.Evaluation;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class MulticlassMetricsCalculatorTests
{
    static readonly string[] Classes = ["a", "b", "c"];

    [Fact]
    public void Metrics_match_a_hand_computed_example()
    {
        // Actual a a a b b c; predicted (arg-max) a a b b c c.
        string[] labels = ["a", "a", "a", "b", "b", "c"];
        float[][] p =
        [
            [0.7f, 0.2f, 0.1f], [0.6f, 0.3f, 0.1f], [0.3f, 0.6f, 0.1f],
            [0.1f, 0.8f, 0.1f], [0.1f, 0.4f, 0.5f], [0.2f, 0.2f, 0.6f],
        ];

        var m = MulticlassMetricsCalculator.Compute(Classes, labels, p);

        m.Rows.ShouldBe(6);
        m.Confusion.Select(r => r.ToArray()).ShouldBe([new long[] { 2, 1, 0 }, [0, 1, 1], [0, 0, 1]]);
        m.MicroAccuracy.ShouldBe(4.0 / 6, 1e-12);
        // Recall: a 2/3, b 1/2, c 1; precision: a 1, b 1/2, c 1/2.
        m.MacroAccuracy.ShouldBe((2.0 / 3 + 0.5 + 1) / 3, 1e-12);
        double F1(double precision, double recall) => 2 * precision * recall / (precision + recall);
        m.PerClass.Select(c => c.F1).ShouldBe([F1(1, 2.0 / 3), F1(0.5, 0.5), F1(0.5, 1)], 1e-12);
        m.MacroF1.ShouldBe((F1(1, 2.0 / 3) + 0.5 + F1(0.5, 1)) / 3, 1e-12);
        m.PerClass.Select(c => c.Support).ShouldBe([3L, 2L, 1L]);
        var expectedLoss = -(Math.Log(0.7f) + Math.Log(0.6f) + Math.Log(0.3f) + Math.Log(0.8f) + Math.Log(0.4f) + Math.Log(0.6f)) / 6;
        m.LogLoss.ShouldBe(expectedLoss, 1e-6);
    }

    [Fact]
    public void A_certain_wrong_answer_costs_the_clipped_log_loss_not_infinity()
    {
        var m = MulticlassMetricsCalculator.Compute(Classes, ["a"], [[0f, 1f, 0f]]);
        m.LogLoss.ShouldBe(-Math.Log(1e-15), 1e-9);
        m.MicroAccuracy.ShouldBe(0);
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        Should.Throw<ArgumentException>(() => MulticlassMetricsCalculator.Compute(Classes, ["a", "b"], [[1f, 0f, 0f]]));
        Should.Throw<ArgumentException>(() => MulticlassMetricsCalculator.Compute(Classes, ["a"], [[1f, 0f]])).Message.ShouldContain("3 classes");
        Should.Throw<ArgumentException>(() => MulticlassMetricsCalculator.Compute(["only"], ["only"], [[1f]])).Message.ShouldContain("at least 2 classes");
    }
}
