using Microsoft.Data.Analysis;
using Microsoft.ML;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Export;

/// <summary>Converts a trained model (featurization + trainer + calibrator, binary or multiclass) to ONNX.</summary>
public static class OnnxExporter
{
    /// <summary>The ONNX output that carries a binary model's calibrated probability.</summary>
    public const string ProbabilityOutput = "Probability.output";

    /// <summary>The ONNX output that carries a multiclass model's probability per class (in the order of its classes).</summary>
    public const string ClassProbabilitiesOutput = "Score.output";

    /// <summary>The ONNX output a caller reads for a model of this task.</summary>
    public static string OutputFor(TaskKind task) => task == TaskKind.Multiclass ? ClassProbabilitiesOutput : ProbabilityOutput;

    /// <summary>
    /// LightGBM categorical splits, which ML.NET's converter writes in a form ONNX Runtime rejects, are rebuilt
    /// as chains of one-hot slot tests (<see cref="CategoricalSplitOnnxRewriter"/>).
    /// Exports from a label-free, feature-only schema and asks only for the probability, so the ONNX graph's inputs
    /// are exactly the raw feature columns a caller serves. Writes atomically.
    /// </summary>
    public static void Export(TrainedModel model, string path) => Export(model, path, rebuildTrees: false);

    /// <param name="rebuildTrees">Rebuild the tree tables even without categorical splits (tests the rebuild).</param>
    internal static void Export(TrainedModel model, string path, bool rebuildTrees)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        using var buffer = new MemoryStream();
        var column = model.Task == TaskKind.Multiclass ? TrainedModel.ScoreColumn : TrainedModel.ProbabilityColumn;
        model.Context.Model.ConvertToOnnx(model.Transformer, EmptyInput(model), buffer, column);
        var bytes = buffer.ToArray();
        var trees = CategoricalSplitOnnxRewriter.Trees(model.Transformer);
        if (trees is not null && (rebuildTrees || CategoricalSplitOnnxRewriter.HasCategoricalSplits(trees)))
        {
            bytes = CategoricalSplitOnnxRewriter.Rewrite(bytes, trees);
        }

        AtomicFile.WriteAllBytes(full, bytes);
    }

    private static IDataView EmptyInput(TrainedModel model) =>
        new DataFrame(model.InputSchema.Select(c => c.Type.RawType == typeof(float)
            ? (DataFrameColumn)new PrimitiveDataFrameColumn<float>(c.Name, 0)
            : new StringDataFrameColumn(c.Name, 0)));
}
