using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// One ONNX Runtime session scoring computed feature columns: every model input fed as a <c>[rows, 1]</c> tensor
/// (float, or string with null → empty, as ML.NET reads a missing text value), one output read back as
/// <see cref="Width"/> probabilities per row (1 for binary, the number of classes for multiclass).
/// Single-threaded per call: concurrency comes from concurrent requests.
/// </summary>
internal sealed class OnnxScorer : IDisposable
{
    private readonly InferenceSession session;
    private readonly (string Name, bool IsText)[] inputs;
    private readonly string[] outputs;

    public OnnxScorer(string onnxPath, string output)
    {
        // Shape-merge warnings from ML.NET's one-hot export are harmless (parity is checked); keep the log for errors.
        var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        session = new InferenceSession(onnxPath, options);
        if (!session.OutputMetadata.TryGetValue(output, out var meta))
        {
            session.Dispose();
            throw new InvalidDataException($"{onnxPath}: has no output '{output}' (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }

        inputs = session.InputMetadata.Select(kv => (kv.Key, kv.Value.ElementType == typeof(string))).ToArray();
        outputs = [output];
        Width = meta.Dimensions.Length >= 2 && meta.Dimensions[^1] > 0 ? meta.Dimensions[^1] : 1;
    }

    public IReadOnlyList<string> InputNames => inputs.Select(i => i.Name).ToList();

    public bool IsTextInput(string name) => inputs.Any(i => i.Name == name && i.IsText);

    public int Width { get; }

    /// <summary>Row-major probabilities, <see cref="Width"/> per row.</summary>
    public float[] Score(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var values = new List<NamedOnnxValue>(inputs.Length);
        foreach (var (name, isText) in inputs)
        {
            var column = features[name];
            values.Add(isText
                ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(Array.ConvertAll((string?[])column, s => s ?? ""), [rows, 1]))
                : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>((float[])column, [rows, 1])));
        }

        using var results = session.Run(values, outputs);
        var tensor = results[0].AsTensor<float>();
        if (tensor.Length != (long)rows * Width)
            throw new InvalidOperationException($"output '{outputs[0]}' has {tensor.Length} values for {rows} rows × {Width}");
        return tensor is DenseTensor<float> dense ? dense.Buffer.ToArray() : tensor.ToArray();
    }

    public void Dispose() => session.Dispose();
}
