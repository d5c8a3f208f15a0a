using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Tests.Registry;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Training;

/// <summary>Multiclass models on the real penguins data (species), with both multiclass trainers, through ONNX.</summary>
public sealed class MulticlassTrainingTests
{
    static readonly TrainingOptions Small = new(Trees: 60, Leaves: 4, LearningRate: 0.1, MinExamplesPerLeaf: 5, Threads: 2, Categorical: CategoricalHandling.OneHot);

    static TrainingOptions For(TrainerKind trainer) => Small with { Trainer = trainer, Threads = trainer == TrainerKind.Sdca ? 1 : 2 };

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.Sdca)]
    public void Species_are_predicted_well_and_probabilities_sum_to_one(TrainerKind trainer)
    {
        var data = TabularDataFixture.Species;
        var model = ModelTrainer.Train(data.Train, data.Spec, For(trainer));

        model.Task.ShouldBe(TaskKind.Multiclass);
        model.Classes.ShouldBe(["Adelie", "Chinstrap", "Gentoo"]); // by value, not by order of appearance
        var probabilities = model.PredictClassProbabilities(data.Test);
        probabilities.ShouldAllBe(p => Math.Abs(p.Sum() - 1) < 1e-4);
        var metrics = MulticlassEvaluator.Evaluate(model, data.Test, data.Spec);
        metrics.MacroF1.ShouldBeGreaterThan(0.9); // the species separate well on bill and flipper measurements
        metrics.LogLoss.ShouldBeLessThan(Math.Log(3)); // better than guessing uniformly
        Should.Throw<InvalidOperationException>(() => model.PredictProbabilities(data.Test));
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.Sdca)]
    public void A_saved_multiclass_model_loads_with_its_task_and_classes_and_exports_to_onnx_with_parity(TrainerKind trainer)
    {
        var data = TabularDataFixture.Species;
        var model = ModelTrainer.Train(data.Train, data.Spec, For(trainer));
        using var dir = new TemporaryDirectory();
        var zip = Path.Combine(dir.Path, "model.zip");
        model.Save(zip);

        var loaded = TrainedModel.Load(zip);
        loaded.Task.ShouldBe(TaskKind.Multiclass);
        loaded.Classes.ShouldBe(model.Classes);
        var onnx = Path.Combine(dir.Path, "model.onnx");
        OnnxExporter.Export(loaded, onnx);
        var parity = OnnxParityCheck.Check(onnx, loaded, data.Test);
        parity.Rows.ShouldBe(data.Test.Rows.Count);
        parity.MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
        OnnxParityCheck.OnnxClassProbabilities(onnx, loaded, data.Test).ShouldAllBe(p => p.Length == 3);
    }

    [Fact]
    public void FastTree_has_no_multiclass_form_and_says_which_trainers_do()
    {
        var data = TabularDataFixture.Species;
        Should.Throw<ArgumentOutOfRangeException>(() => ModelTrainer.Train(data.Train, data.Spec, For(TrainerKind.FastTree)))
            .Message.ShouldContain("use LightGbm or Sdca");
    }

    [Fact]
    public void Permutation_importance_uses_the_multiclass_metric_and_its_direction()
    {
        var data = TabularDataFixture.Species;
        var model = ModelTrainer.Train(data.Train, data.Spec, For(TrainerKind.LightGbm));

        var byF1 = PermutationImportance.Compute(model, data.Test, data.Spec, seed: 5, repeats: 2);
        byF1.ShouldAllBe(i => i.Metric == "macro_f1");
        byF1[0].Drop.ShouldBeGreaterThan(0.05); // some measurement matters
        var byLoss = PermutationImportance.Compute(model, data.Test, data.Spec, seed: 5, repeats: 2, metric: "log_loss");
        byLoss[0].Drop.ShouldBeGreaterThan(0); // a loss that grows is a positive drop
        byLoss[0].Baseline.ShouldBeLessThan(Math.Log(3));
        Should.Throw<ArgumentException>(() => PermutationImportance.Compute(model, data.Test, data.Spec, metric: "auc")).Message.ShouldContain("macro_f1");
    }
}
