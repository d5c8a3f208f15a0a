using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Tests.Training;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Explain;

public sealed class PermutationImportanceTests
{
    [Fact]
    public void Real_signals_rank_above_pure_noise_columns()
    {
        var data = TabularDataFixture.Churn;
        var spec = new FeatureSpec(data.Spec.Label, [.. data.Spec.Numeric, "noise"], [.. data.Spec.Categorical, "noise_category"]);
        var train = WithNoise(data.Train, seed: 1);
        var test = WithNoise(data.Test, seed: 2);
        var model = ModelTrainer.Train(train, spec, ModelTrainerTests.Fast);

        var importances = PermutationImportance.Compute(model, test, spec, seed: 7, repeats: 2);

        importances.Count.ShouldBe(spec.Numeric.Count + spec.Categorical.Count);
        importances.Select(i => i.Rank).ShouldBe(Enumerable.Range(1, importances.Count));
        var rank = importances.ToDictionary(i => i.Feature);
        rank["contract"].Rank.ShouldBeLessThan(rank["noise"].Rank);
        rank["tenure"].Rank.ShouldBeLessThan(rank["noise_category"].Rank);
        importances[0].Drop.ShouldBeGreaterThan(0.01);
        rank["noise"].Drop.ShouldBeLessThan(0.01);
        rank["noise_category"].Drop.ShouldBeLessThan(0.01);
    }

    [Fact]
    public void Same_seed_same_importances_and_all_files_are_written()
    {
        var data = TabularDataFixture.Penguins;
        var model = ModelTrainer.Train(data.Train, data.Spec, ModelTrainerTests.Fast with { MinExamplesPerLeaf = 5 });
        using var dir = new TemporaryDirectory();

        var first = PermutationImportance.Compute(model, data.Test, data.Spec, seed: 3);
        var second = PermutationImportance.Compute(model, data.Test, data.Spec, seed: 3);
        var files = ImportanceWriter.Write(first, dir.Path);

        second.ShouldBe(first);
        PngFile.ShouldBeValid(files.Png);
        File.ReadAllLines(files.Csv).Length.ShouldBe(first.Count + 1);
        File.ReadAllText(files.Markdown).ShouldContain($"| 1 | {first[0].Feature} |");
        var json = ML.Artifacts.ImportanceReport.Read(files.Json);
        json.Metric.ShouldBe("auc");
        json.Features.ShouldBe(first);
    }

    private static DataFrame WithNoise(DataFrame frame, int seed)
    {
        var copy = TabularDataFixture.Copy(frame);
        var random = new Random(seed);
        var n = (int)copy.Rows.Count;
        copy.Columns.Add(new PrimitiveDataFrameColumn<float>("noise", Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())));
        copy.Columns.Add(new StringDataFrameColumn("noise_category", Enumerable.Range(0, n).Select(_ => "c" + random.Next(5))));
        return copy;
    }
}
