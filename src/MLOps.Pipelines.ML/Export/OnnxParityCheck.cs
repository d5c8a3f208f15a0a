using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MLOps.Pipelines.ML.Tasks;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// Scores held-out rows with ONNX Runtime and with ML.NET and compares the probabilities (binary: the positive class's;
/// multiclass: every class's).
/// </summary>
public static class OnnxParityCheck
{
    private const int BatchRows = 65_536;

    /// <exception cref="OnnxParityException">The largest difference exceeds <paramref name="tolerance"/>.</exception>
    public static OnnxParity Check(string onnxPath, TrainedModel model, IDataView heldOut, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(model);
        var width = model.Task == TaskKind.Multiclass ? model.Classes.Count : 1;
        var expected = model.Task == TaskKind.Multiclass ? model.PredictClassProbabilities(heldOut) : [.. model.PredictProbabilities(heldOut).Select(p => new[] { p })];
        var actual = OnnxOutput(onnxPath, model, heldOut, OnnxExporter.OutputFor(model.Task), width);
        double worst = 0;
        long worstRow = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            for (var k = 0; k < width; k++)
            {
                var difference = Math.Abs((double)expected[i][k] - actual[i][k]);
                if (difference > worst || double.IsNaN(difference))
                {
                    worst = double.IsNaN(difference) ? double.PositiveInfinity : difference;
                    worstRow = i;
                }
            }
        }

        var parity = new OnnxParity(expected.Length, worst, worstRow, tolerance);
        if (worst > tolerance) throw new OnnxParityException(parity);
        return parity;
    }

    /// <summary>Runs a binary ONNX model on the data's feature columns: the positive-class probability per row.</summary>
    public static float[] OnnxProbabilities(string onnxPath, TrainedModel model, IDataView data) =>
        [.. OnnxOutput(onnxPath, model, data, OnnxExporter.ProbabilityOutput, 1).Select(p => p[0])];

    /// <summary>Runs a multiclass ONNX model on the data's feature columns: per row, the probability of each class.</summary>
    public static float[][] OnnxClassProbabilities(string onnxPath, TrainedModel model, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(model);
        return OnnxOutput(onnxPath, model, data, OnnxExporter.ClassProbabilitiesOutput, model.Classes.Count);
    }

    /// <summary>
    /// ONNX Runtime's own warnings (e.g. "Error merging shape info" for ML.NET's exported graphs, harmless here) would reach
    /// stderr raw, with terminal colour codes; only errors are logged.
    /// </summary>
    internal static SessionOptions QuietOptions() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    static float[][] OnnxOutput(string onnxPath, TrainedModel model, IDataView data, string output, int width)
    {
        using var options = QuietOptions();
        using var session = new InferenceSession(onnxPath, options);
        _ = model.Score(data); // same clear error as ML.NET scoring for a missing or mistyped column
        var floats = new Dictionary<string, float[]>();
        var strings = new Dictionary<string, string[]>();
        foreach (var name in session.InputMetadata.Keys)
        {
            var column = model.InputSchema.GetColumnOrNull(name) ?? throw new InvalidDataException(
                $"ONNX model '{onnxPath}' wants input '{name}', which is not a feature of the ML.NET model; re-export it.");
            if (column.Type.RawType == typeof(float)) floats[name] = data.GetColumn<float>(name).ToArray();
            else strings[name] = data.GetColumn<ReadOnlyMemory<char>>(name).Select(v => v.ToString()).ToArray();
        }

        var rows = floats.Values.Select(v => v.Length).Concat(strings.Values.Select(v => v.Length)).FirstOrDefault();
        var values = new float[rows][];
        for (var start = 0; start < rows; start += BatchRows)
        {
            var count = Math.Min(BatchRows, rows - start);
            var inputs = floats.Select(kv => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<float>(kv.Value.AsMemory(start, count), [count, 1])))
                .Concat(strings.Select(kv => NamedOnnxValue.CreateFromTensor(kv.Key, new DenseTensor<string>(kv.Value.AsMemory(start, count), [count, 1]))))
                .ToList();
            using var results = session.Run(inputs, [output]);
            var tensor = results[0].AsTensor<float>();
            if (tensor.Length != (long)count * width)
                throw new InvalidDataException($"ONNX model '{onnxPath}' output '{output}' has {tensor.Length} values for {count} rows of {width}; re-export it.");
            var flat = tensor.ToArray();
            for (var i = 0; i < count; i++) values[start + i] = flat.AsSpan(i * width, width).ToArray();
        }

        return values;
    }
}
