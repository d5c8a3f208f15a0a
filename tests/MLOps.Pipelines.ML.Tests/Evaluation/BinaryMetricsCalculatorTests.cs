using Microsoft.ML;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Tests.Training;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class BinaryMetricsCalculatorTests
{
    [Fact]
    public void Metrics_of_a_hand_checked_example()
    {
        bool[] labels = [true, false, true, false, true];
        float[] p = [0.9f, 0.8f, 0.6f, 0.3f, 0.2f];

        var m = BinaryMetricsCalculator.Compute(labels, p);

        // Positive/negative pairs ranked correctly: (0.9>0.8,0.3) (0.6>0.3) = 3 of 6.
        m.Auc.ShouldBe(3.0 / 6, 1e-12);
        m.Confusion.ShouldBe(new ConfusionMatrix(TruePositives: 2, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 1));
        m.Accuracy.ShouldBe(3.0 / 5, 1e-12);
        m.Precision.ShouldBe(2.0 / 3, 1e-12);
        m.Recall.ShouldBe(2.0 / 3, 1e-12);
        m.F1.ShouldBe(2.0 / 3, 1e-12);
        m.Brier.ShouldBe((0.01 + 0.64 + 0.16 + 0.09 + 0.64) / 5, 1e-7);
        m.LogLoss.ShouldBe(-(Math.Log(0.9) + Math.Log(0.2) + Math.Log(0.6) + Math.Log(0.7) + Math.Log(0.2)) / 5, 1e-6);
        // Average precision: recall steps at ranks 1, 3, 5 with precision 1, 2/3, 3/5.
        m.PrAuc.ShouldBe((1 + 2.0 / 3 + 3.0 / 5) / 3, 1e-12);
    }

    [Fact]
    public void Tied_scores_count_half()
    {
        BinaryMetricsCalculator.Auc([true, false], [0.5f, 0.5f]).ShouldBe(0.5);
    }

    [Fact]
    public void One_class_only_is_refused_with_the_counts()
    {
        var error = Should.Throw<ArgumentException>(() => BinaryMetricsCalculator.Compute([true, true], [0.4f, 0.9f]));
        error.Message.ShouldContain("2 positive and 0 negative rows");
    }

    [Fact]
    public void Auc_agrees_with_mlnet_evaluator_on_churn()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast);
        var scored = model.Score(data.Test);

        var ours = BinaryMetricsCalculator.Compute(ModelTrainerTests.Labels(data.Test, data.Spec), model.PredictProbabilities(data.Test));
        var theirs = new MLContext().BinaryClassification.Evaluate(scored, data.Spec.Label);

        ours.Auc.ShouldBe(theirs.AreaUnderRocCurve, 1e-6);
        ours.Auc.ShouldBeGreaterThan(0.8);
        ours.Brier.ShouldBeInRange(0.05, 0.2);
        ours.LogLoss.ShouldBeInRange(0.2, 0.6);
        ours.Accuracy.ShouldBeGreaterThan(0.75);
        ours.PositiveRate.ShouldBeInRange(0.2, 0.33);
    }

    [Fact]
    public void Curves_start_and_end_where_they_must_and_are_thinned()
    {
        var random = new Random(1);
        var labels = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble() < 0.3).ToArray();
        var p = labels.Select(l => (float)Math.Clamp((l ? 0.6 : 0.4) + (random.NextDouble() - 0.5) * 0.6, 0, 1)).ToArray();

        var curves = CurveCalculator.Compute(labels, p, maxCurvePoints: 500);

        curves.Roc.Count.ShouldBeLessThanOrEqualTo(500);
        curves.Roc[0].ShouldBe(new CurvePoint(0, 0));
        curves.Roc[^1].ShouldBe(new CurvePoint(1, 1));
        curves.PrecisionRecall[^1].X.ShouldBe(1);
        curves.Calibration.Sum(b => b.Rows).ShouldBe(10_000);
        (curves.Histogram.Positives.Sum() + curves.Histogram.Negatives.Sum()).ShouldBe(10_000);
        curves.Histogram.Positives.Sum().ShouldBe(labels.Count(l => l));
    }
}
