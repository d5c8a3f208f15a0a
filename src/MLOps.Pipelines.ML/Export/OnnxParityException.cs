using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLOps.Pipelines.ML.Export;

public sealed class OnnxParityException(OnnxParity parity)
    : Exception($"{parity} — the ONNX model does not reproduce ML.NET's probabilities; do not serve it.")
{
    public OnnxParity Parity { get; } = parity;
}
