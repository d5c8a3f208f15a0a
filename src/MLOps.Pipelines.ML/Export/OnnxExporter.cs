using Microsoft.Data.Analysis;
using Microsoft.ML;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Export;

/// <summary>Converts a trained model (featurization + trainer + calibrator) to ONNX.</summary>
public static class OnnxExporter
{
    /// <summary>The ONNX output that carries the calibrated probability.</summary>
    public const string ProbabilityOutput = "Probability.output";

    /// <summary>
    /// Exports from a label-free, feature-only schema and asks only for the probability, so the ONNX graph's inputs
    /// are exactly the raw feature columns a caller serves. Writes atomically.
    /// </summary>
    public static void Export(TrainedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var stream = File.Create(temporary))
        {
            model.Context.Model.ConvertToOnnx(model.Transformer, EmptyInput(model), stream, TrainedModel.ProbabilityColumn);
        }

        File.Move(temporary, full, overwrite: true);
    }

    private static IDataView EmptyInput(TrainedModel model) =>
        new DataFrame(model.InputSchema.Select(c => c.Type.RawType == typeof(float)
            ? (DataFrameColumn)new PrimitiveDataFrameColumn<float>(c.Name, 0)
            : new StringDataFrameColumn(c.Name, 0)));
}
