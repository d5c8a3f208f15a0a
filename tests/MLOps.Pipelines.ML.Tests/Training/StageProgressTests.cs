using MLOps.Pipelines.ML.Explain;
using MLOps.Pipelines.ML.Tests.Registry;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Tests.Training;

/// <summary>
/// The progress the ML stages report inside a real build, as CI logs show it (plain lines, output redirected): the fit's
/// LightGBM steps as ML.NET's log announces them, rows scored and features permuted.
/// </summary>
public sealed class StageProgressTests
{
    sealed class FitBuild : PipelineBuild
    {
        Target Fit => _ => _.Executes(() =>
        {
            var data = TabularDataFixture.Species;
            var options = new TrainingOptions(Trees: 30, Leaves: 4, LearningRate: 0.1, MinExamplesPerLeaf: 5, Threads: 2, Categorical: CategoricalHandling.OneHot);
            var model = ModelTrainer.Train(data.Train, data.Spec, options);
            model.PredictClassProbabilities(data.Test);
            PermutationImportance.Compute(model, data.Test, data.Spec, repeats: 1);
        });
    }

    [Fact]
    public void A_fit_reports_LightGBMs_steps_rows_scored_and_features_permuted_as_plain_lines()
    {
        using var root = new TemporaryDirectory();
        Directory.CreateDirectory(Path.Combine(root.Path, ".nuke"));
        var previousInterval = Environment.GetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL");
        var previousOut = Console.Out;
        var output = new StringWriter();
        Environment.SetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL", "0");
        Console.SetOut(output);
        int exitCode;
        try
        {
            exitCode = PipelineBuild.Execute<FitBuild>(["Fit", "--jobs", "1", "--root", root.Path]);
        }
        finally
        {
            Console.SetOut(previousOut);
            Environment.SetEnvironmentVariable("MLOPS_PROGRESS_INTERVAL", previousInterval);
        }

        var text = output.ToString();
        exitCode.ShouldBe(0, text);
        var lines = text.Split('\n').Where(l => l.StartsWith("… Fit: ", StringComparison.Ordinal)).ToList();
        var train = TabularDataFixture.Species.Train.Rows.Count;
        lines.ShouldContain(l => l.StartsWith($"… Fit: featurizing {train:N0} rows for LightGbm after ", StringComparison.Ordinal), text);
        lines.ShouldContain(l => l.StartsWith($"… Fit: LightGBM: binning {train:N0} rows after ", StringComparison.Ordinal), text);
        lines.ShouldContain(l => l.StartsWith("… Fit: LightGBM: fitting 30 trees of 4 leaves (no per-tree signal) after ", StringComparison.Ordinal), text);
        var test = TabularDataFixture.Species.Test.Rows.Count;
        lines.ShouldContain(l => l.StartsWith($"… Fit: rows scored {test:N0}/{test:N0} (100 %)", StringComparison.Ordinal), text);
        var features = TabularDataFixture.Species.Spec.Numeric.Count + TabularDataFixture.Species.Spec.Categorical.Count;
        lines.ShouldContain(l => l.StartsWith($"… Fit: features permuted {features}/{features} (100 %)", StringComparison.Ordinal), text);
        text.ShouldNotContain("\u001b");
    }
}
