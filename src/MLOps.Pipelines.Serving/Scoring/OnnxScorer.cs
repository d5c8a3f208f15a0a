using Microsoft.ML.OnnxRuntime;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// One ONNX Runtime session scoring computed feature columns: every model input fed as a <c>[rows, 1]</c> tensor
/// (float, or string with null → empty, as ML.NET reads a missing text value), one output read back as
/// <see cref="Width"/> probabilities per row (1 for binary, the number of classes for multiclass).
/// Single-threaded per call: concurrency comes from concurrent requests.
/// </summary>
/// <remarks>
/// Inputs go in as <see cref="OrtValue"/>s over the feature arrays (floats pinned in place, strings written straight
/// into native tensors) with the names fixed at load: the <c>NamedOnnxValue</c>/<c>DenseTensor</c> route copied every
/// input and output through managed tensors and cost about as much as the graph itself for a one-row request.
/// </remarks>
internal sealed class OnnxScorer : IFeatureScorer
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly bool[] inputIsText;
    private readonly int[] inputWidths;
    private readonly string[] outputs;

    public OnnxScorer(string onnxPath, string output)
        : this(onnxPath, null, output)
    {
    }

    /// <summary>A session over model bytes (a graph cut down at load); <paramref name="description"/> names it in errors.</summary>
    public OnnxScorer(byte[] model, string output, string description)
        : this(description, model, output)
    {
    }

    private OnnxScorer(string onnxPath, byte[]? model, string output)
    {
        // Shape-merge warnings from ML.NET's one-hot export are harmless (parity is checked); keep the log for errors.
        // One intra-op and one inter-op thread: a request scores a handful of rows, and on a small machine extra ORT
        // threads only compete with Kestrel's for the same cores.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        // Idle ORT threads must not spin on the cores the HTTP server needs.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        session = model is null ? new InferenceSession(onnxPath, options) : new InferenceSession(model, options);
        if (!session.OutputMetadata.TryGetValue(output, out var meta))
        {
            session.Dispose();
            throw new InvalidDataException($"{onnxPath}: has no output '{output}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        inputNames = [.. session.InputMetadata.Keys];
        inputIsText = [.. session.InputMetadata.Values.Select(v => v.ElementType == typeof(string))];
        // Raw features are [rows, 1]; a graph cut after its encoders reads one [rows, width] vector.
        inputWidths = [.. session.InputMetadata.Values.Select(v => v.Dimensions.Length >= 2 && v.Dimensions[1] > 0 ? v.Dimensions[1] : 1)];
        outputs = [output];
        Width = meta.Dimensions.Length >= 2 && meta.Dimensions[^1] > 0 ? meta.Dimensions[^1] : 1;
    }

    public IReadOnlyList<string> InputNames => inputNames;

    public bool IsTextInput(string name) => Array.IndexOf(inputNames, name) is var i and >= 0 && inputIsText[i];

    public int Width { get; }

    /// <summary>Row-major probabilities, <see cref="Width"/> per row.</summary>
    public float[] Score(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var values = new OrtValue[inputNames.Length];
        try
        {
            for (var k = 0; k < inputNames.Length; k++)
            {
                var column = features[inputNames[k]];
                long[] shape = [rows, inputWidths[k]];
                if (inputIsText[k])
                {
                    var text = (string?[])column;
                    var tensor = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
                    values[k] = tensor;
                    for (var i = 0; i < rows; i++) tensor.StringTensorSetElementAt((text[i] ?? "").AsSpan(), i);
                }
                else values[k] = OrtValue.CreateTensorValueFromMemory((float[])column, shape);
            }

            using var results = session.Run(runOptions, inputNames, values, outputs);
            var scores = results[0].GetTensorDataAsSpan<float>();
            if (scores.Length != (long)rows * Width)
                throw new InvalidOperationException($"output '{outputs[0]}' has {scores.Length} values for {rows} rows × {Width}");
            return scores.ToArray();
        }
        finally
        {
            foreach (var value in values) value?.Dispose();
        }
    }

    public void Dispose()
    {
        session.Dispose();
        runOptions.Dispose();
    }
}
