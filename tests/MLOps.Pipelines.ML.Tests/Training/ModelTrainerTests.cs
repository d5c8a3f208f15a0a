using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Training;

public sealed class ModelTrainerTests
{
    // Small models keep the tests fast; the benchmark measures the real configuration.
    internal static readonly TrainingOptions Fast = new(Trees: 40, Leaves: 15, MinExamplesPerLeaf: 10, Threads: 2);

    [Theory]
    [InlineData(TrainerKind.LightGbm, CategoricalHandling.CategoricalSplit)]
    [InlineData(TrainerKind.LightGbm, CategoricalHandling.OneHot)]
    [InlineData(TrainerKind.FastTree, CategoricalHandling.OneHot)]
    [InlineData(TrainerKind.Sdca, CategoricalHandling.OneHot)]
    public void Every_trainer_learns_churn(TrainerKind trainer, CategoricalHandling categorical)
    {
        var data = TabularDataFixture.Churn;
        var options = Fast with { Trainer = trainer, Categorical = categorical, Threads = trainer == TrainerKind.Sdca ? 1 : 2 };

        var model = ModelTrainer.Train(data.Train, data.Spec, options);
        var probabilities = model.PredictProbabilities(data.Test);

        probabilities.Length.ShouldBe((int)data.Test.Rows.Count);
        probabilities.ShouldAllBe(p => p >= 0 && p <= 1);
        var auc = BinaryMetricsCalculator.Auc(Labels(data.Test, data.Spec), probabilities);
        auc.ShouldBeGreaterThan(0.80, $"{trainer}/{categorical}"); // scikit-learn HistGradientBoosting: 0.856
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastTree)]
    [InlineData(TrainerKind.Sdca)]
    public void Training_is_deterministic_for_a_seed_and_thread_count(TrainerKind trainer)
    {
        var data = TabularDataFixture.Churn;
        var options = Fast with { Trainer = trainer, Threads = trainer == TrainerKind.Sdca ? 1 : 2 };

        var first = ModelTrainer.Train(data.Train, data.Spec, options).PredictProbabilities(data.Test);
        var second = ModelTrainer.Train(data.Train, data.Spec, options).PredictProbabilities(data.Test);

        second.ShouldBe(first); // bit for bit
    }

    [Fact]
    public void The_same_model_saves_to_the_same_bytes()
    {
        var data = TabularDataFixture.Churn;
        using var directory = new TemporaryDirectory("mlops-model-bytes-");
        var first = directory["first.zip"];
        var second = directory["second.zip"];
        ModelTrainer.Train(data.Train, data.Spec, Fast).Save(first);
        Thread.Sleep(2100); // zip entry times have a 2-second resolution: a later save must not differ by them
        ModelTrainer.Train(data.Train, data.Spec, Fast).Save(second);
        File.ReadAllBytes(second).ShouldBe(File.ReadAllBytes(first));
        TrainedModel.Load(second).PredictProbabilities(data.Test).ShouldBe(TrainedModel.Load(first).PredictProbabilities(data.Test));
        Directory.GetFiles(directory.Path).Length.ShouldBe(2); // no temporary files left
    }

    [Fact]
    public void Hyperparameters_change_the_model()
    {
        var data = TabularDataFixture.Churn;
        var small = ModelTrainer.Train(data.Train, data.Spec, Fast).PredictProbabilities(data.Test);
        var larger = ModelTrainer.Train(data.Train, data.Spec, Fast with { Leaves = 31 }).PredictProbabilities(data.Test);
        larger.ShouldNotBe(small);
    }

    [Fact]
    public void Missing_values_are_imputed_and_every_row_is_scored()
    {
        var data = TabularDataFixture.Penguins; // 19 NA cells, some rows with every measurement missing
        var model = ModelTrainer.Train(data.Train, data.Spec, Fast with { MinExamplesPerLeaf = 5 });

        var all = TabularDataFixture.Rows(data.Test, Enumerable.Range(0, (int)data.Test.Rows.Count).ToArray());
        var nan = new PrimitiveDataFrameColumn<float>("bill_length_mm", Enumerable.Repeat(float.NaN, (int)all.Rows.Count));
        all.Columns["bill_length_mm"] = nan;
        var probabilities = model.PredictProbabilities(all);

        probabilities.ShouldAllBe(p => !float.IsNaN(p) && p >= 0 && p <= 1);
        BinaryMetricsCalculator.Auc(Labels(data.Test, data.Spec), model.PredictProbabilities(data.Test)).ShouldBeGreaterThan(0.95);
    }

    [Fact]
    public void Saved_model_loads_with_a_feature_only_schema_and_scores_identically()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, Fast);
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model", "model.zip");

        model.Save(path);
        var loaded = TrainedModel.Load(path);

        loaded.InputColumns.ShouldBe(data.Spec.Numeric.Concat(data.Spec.Categorical).ToArray());
        loaded.PredictProbabilities(data.Test).ShouldBe(model.PredictProbabilities(data.Test));
        File.Exists(path + ".tmp").ShouldBeFalse();
    }

    [Theory]
    [InlineData(CategoricalHandling.OneHot)]
    [InlineData(CategoricalHandling.CategoricalSplit)]
    public void An_unknown_category_at_scoring_is_scored_like_an_all_zero_one_hot(CategoricalHandling categorical)
    {
        var data = TabularDataFixture.Penguins;
        var model = ModelTrainer.Train(data.Train, data.Spec, Fast with { Categorical = categorical, MinExamplesPerLeaf = 5 });
        var rows = TabularDataFixture.Copy(data.Test);
        rows.Columns["island"] = new StringDataFrameColumn("island", Enumerable.Repeat("Atlantis", (int)rows.Rows.Count));
        var unseen = TabularDataFixture.Copy(data.Test);
        unseen.Columns["island"] = new StringDataFrameColumn("island", Enumerable.Repeat<string?>(null, (int)rows.Rows.Count));

        var probabilities = model.PredictProbabilities(rows);

        probabilities.ShouldAllBe(p => p >= 0 && p <= 1);
        // Documented behaviour: an unseen value and a missing value both become all-zero indicator slots.
        probabilities.ShouldBe(model.PredictProbabilities(unseen));
    }

    [Fact]
    public void A_missing_column_at_scoring_names_the_column()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, Fast);
        var without = TabularDataFixture.Copy(data.Test);
        without.Columns.Remove("tenure");

        var error = Should.Throw<ModelInputException>(() => model.PredictProbabilities(without));

        error.Message.ShouldContain("column 'tenure' is missing (expected float)");
    }

    [Fact]
    public void A_mistyped_label_is_refused_before_training()
    {
        var data = TabularDataFixture.Penguins;
        var frame = TabularDataFixture.Copy(data.Train);
        frame.Columns["adelie"] = new StringDataFrameColumn("adelie", Enumerable.Repeat("yes", (int)frame.Rows.Count));

        var error = Should.Throw<ModelInputException>(() => ModelTrainer.Train(frame, data.Spec, Fast));

        error.Message.ShouldContain("column 'adelie' is string, expected bool");
    }

    [Fact]
    public void Invalid_hyperparameters_name_the_parameter()
    {
        var data = TabularDataFixture.Penguins;
        var error = Should.Throw<ArgumentOutOfRangeException>(() => ModelTrainer.Train(data.Train, data.Spec, Fast with { Leaves = 1 }));
        error.ParamName.ShouldBe("Leaves");
    }

    internal static bool[] Labels(DataFrame frame, FeatureSpec spec) =>
        ((PrimitiveDataFrameColumn<bool>)frame.Columns[spec.Label]).Select(v => v!.Value).ToArray();
}
