using MLOps.Pipelines.ML.Artifacts;
using System.Text.Json;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Tests.Training;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Evaluation;

public sealed class ModelEvaluatorTests
{
    [Fact]
    public void Churn_evaluation_writes_metrics_json_and_four_real_pngs()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast);
        using var dir = new TemporaryDirectory();

        var result = ModelEvaluator.Evaluate(model, data.Test, data.Spec, new EvaluationOptions(["female", "senior_citizen"]));
        var files = EvaluationWriter.Write(result, dir.Path);

        result.Metrics.Auc.ShouldBeGreaterThan(0.8);
        foreach (var png in new[] { files.RocPng, files.PrecisionRecallPng, files.CalibrationPng, files.ScoreHistogramPng })
        {
            PngFile.ShouldBeValid(png).ShouldBe((640, 480));
        }

        using var json = JsonDocument.Parse(File.ReadAllText(files.MetricsJson));
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["task", "rows", "positive_rate", "threshold", "auc", "pr_auc", "accuracy", "precision", "recall", "f1", "log_loss", "brier", "confusion_matrix", "groups"]);
        json.RootElement.GetProperty("auc").GetDouble().ShouldBe(result.Metrics.Auc, 1e-6);
        json.RootElement.GetProperty("groups").GetProperty("senior_citizen").GetProperty("slices").EnumerateObject()
            .Select(s => s.Name).Order().ShouldBe(["0", "1"]);
        Directory.GetFiles(dir.Path, "*.tmp").ShouldBeEmpty();
    }

    [Fact]
    public void Fairness_differences_are_max_minus_min_over_groups()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast);
        var labels = ModelTrainerTests.Labels(data.Test, data.Spec);
        var p = model.PredictProbabilities(data.Test);
        var senior = ((Microsoft.Data.Analysis.PrimitiveDataFrameColumn<float>)data.Test.Columns["senior_citizen"]).Select(v => v!.Value).ToArray();

        var result = ModelEvaluator.Evaluate(model, data.Test, data.Spec, new EvaluationOptions(["senior_citizen"]));

        var groups = result.Groups.Single();
        groups.Slices.Count.ShouldBe(2);
        double Rate(float g) => Enumerable.Range(0, p.Length).Where(i => senior[i] == g).Average(i => p[i] >= 0.5 ? 1.0 : 0.0);
        double Tpr(float g) => Enumerable.Range(0, p.Length).Where(i => senior[i] == g && labels[i]).Average(i => p[i] >= 0.5 ? 1.0 : 0.0);
        groups.DemographicParityDifference.ShouldBe(Math.Abs(Rate(1) - Rate(0)), 1e-12);
        groups.EqualOpportunityDifference!.Value.ShouldBe(Math.Abs(Tpr(1) - Tpr(0)), 1e-12);
        groups.DemographicParityDifference.ShouldBeGreaterThan(0); // seniors churn more in this data: the model sees it
    }

    [Fact]
    public void Rare_groups_are_pooled_as_other()
    {
        string[] groups = ["a", "a", "a", "b", "b", "c", "d"];
        bool[] labels = [true, false, true, false, true, false, true];
        float[] p = [0.9f, 0.1f, 0.7f, 0.6f, 0.8f, 0.2f, 0.4f];

        var metrics = GroupMetricsCalculator.Compute("origin", groups, labels, p, maxGroups: 2);

        metrics.Slices.Select(s => (s.Value, s.Rows)).ShouldBe([("a", 3L), ("b", 2L), ("(other)", 2L)]);
        // predicted positive rates: a 2/3, b 2/2, other 0/2; TPR: a 2/2, b 1/1, other 0/1
        metrics.DemographicParityDifference.ShouldBe(1.0, 1e-12);
        metrics.EqualOpportunityDifference.ShouldBe(1.0);
    }

    [Fact]
    public void A_missing_group_column_is_named()
    {
        var data = TabularDataFixture.Penguins;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { MinExamplesPerLeaf = 5 });
        var error = Should.Throw<ArgumentException>(() => ModelEvaluator.Evaluate(model, data.Test, data.Spec, new EvaluationOptions(["colony"])));
        error.Message.ShouldContain("no group column 'colony'");
    }

    [Fact]
    public void Metrics_json_is_byte_stable()
    {
        var result = ModelEvaluator.Evaluate([true, false, true], [0.8f, 0.3f, 0.4f], [("g", ["x", "y", "x"])], EvaluationOptions.Default);
        var text = MetricsReport.From(result.Metrics, result.Groups).ToString();
        text.ShouldBe(MetricsReport.From(result.Metrics, result.Groups).ToString());
        text.ShouldNotContain("\"true_positive_rate\": null"); // group y has no positives: left out, not null
        text.ShouldContain("\"task\": \"binary\"");
    }
}
