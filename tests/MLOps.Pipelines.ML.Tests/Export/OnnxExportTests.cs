using Microsoft.Data.Analysis;
using Microsoft.ML.OnnxRuntime;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Tests.Training;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Export;

public sealed class OnnxExportTests
{
    [Theory]
    [InlineData(TrainerKind.LightGbm, CategoricalHandling.OneHot)]
    [InlineData(TrainerKind.LightGbm, CategoricalHandling.CategoricalSplit)]
    [InlineData(TrainerKind.FastTree, CategoricalHandling.OneHot)]
    [InlineData(TrainerKind.Sdca, CategoricalHandling.OneHot)]
    public void Onnx_model_reproduces_mlnet_probabilities_on_held_out_rows(TrainerKind trainer, CategoricalHandling categorical)
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec,
            ModelTrainerTests.Fast with { Trainer = trainer, Categorical = categorical, Threads = trainer == TrainerKind.Sdca ? 1 : 2 });
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model.onnx");

        OnnxExporter.Export(model, path);
        var parity = OnnxParityCheck.Check(path, model, data.Test);

        if (categorical == CategoricalHandling.CategoricalSplit && trainer == TrainerKind.LightGbm)
        {
            // The case ML.NET's converter gets wrong must really occur here, or this test proves nothing.
            CategoricalSplitOnnxRewriter.HasCategoricalSplits(CategoricalSplitOnnxRewriter.Trees(model.Transformer)!).ShouldBeTrue();
        }

        parity.Rows.ShouldBe(data.Test.Rows.Count);
        parity.MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
        Console.WriteLine($"{trainer}/{categorical}: {parity}");
    }

    [Theory]
    [InlineData(TrainerKind.LightGbm)]
    [InlineData(TrainerKind.FastTree)]
    public void Rebuilt_tree_tables_match_mlnet_for_numeric_splits_too(TrainerKind trainer)
    {
        // The categorical-split rewrite rebuilds every node; forcing it on a one-hot model checks the numeric
        // branches, leaf weights and node ids against ML.NET independently of the categorical chains.
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { Trainer = trainer, Categorical = CategoricalHandling.OneHot });
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model.onnx");

        OnnxExporter.Export(model, path, rebuildTrees: true);

        OnnxParityCheck.Check(path, model, data.Test).MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
    }

    [Fact]
    public void Onnx_inputs_are_exactly_the_raw_feature_columns()
    {
        var data = TabularDataFixture.Penguins;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { MinExamplesPerLeaf = 5 });
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model.onnx");

        OnnxExporter.Export(model, path);
        using var session = new InferenceSession(path);

        session.InputMetadata.Keys.Order().ShouldBe(data.Spec.Numeric.Concat(data.Spec.Categorical).Order());
        session.OutputMetadata.Keys.ShouldContain(OnnxExporter.ProbabilityOutput);
    }

    [Theory]
    [InlineData(CategoricalHandling.OneHot)]
    [InlineData(CategoricalHandling.CategoricalSplit)]
    public void Unknown_and_missing_values_score_the_same_in_onnx_and_mlnet(CategoricalHandling categorical)
    {
        var data = TabularDataFixture.Penguins;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { MinExamplesPerLeaf = 5, Categorical = categorical });
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model.onnx");
        OnnxExporter.Export(model, path);
        var rows = TabularDataFixture.Copy(data.Test);
        var n = (int)rows.Rows.Count;
        rows.Columns["island"] = new StringDataFrameColumn("island", Enumerable.Range(0, n).Select(i => i % 2 == 0 ? "Atlantis" : "Dream"));
        rows.Columns["bill_length_mm"] = new PrimitiveDataFrameColumn<float>("bill_length_mm", Enumerable.Range(0, n).Select(i => i % 3 == 0 ? float.NaN : 45f));

        var parity = OnnxParityCheck.Check(path, model, rows);

        parity.MaxAbsoluteDifference.ShouldBeLessThanOrEqualTo(1e-5);
    }

    [Fact]
    public void A_model_that_does_not_match_fails_the_parity_check()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast);
        var other = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { Leaves = 4, Trees = 5 });
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "other.onnx");
        OnnxExporter.Export(other, path);

        var error = Should.Throw<OnnxParityException>(() => OnnxParityCheck.Check(path, model, data.Test));

        error.Parity.MaxAbsoluteDifference.ShouldBeGreaterThan(1e-5);
        error.Message.ShouldContain("largest absolute probability difference");
    }

    [Fact]
    public void A_missing_column_fails_before_onnx_runs()
    {
        var data = TabularDataFixture.Churn;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast);
        using var dir = new TemporaryDirectory();
        var path = Path.Combine(dir.Path, "model.onnx");
        OnnxExporter.Export(model, path);
        var rows = TabularDataFixture.Copy(data.Test);
        rows.Columns.Remove("contract");

        Should.Throw<ModelInputException>(() => OnnxParityCheck.Check(path, model, rows)).Message.ShouldContain("'contract' is missing");
    }
}
