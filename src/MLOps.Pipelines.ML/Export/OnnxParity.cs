using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MLOps.Pipelines.ML.Export;

/// <summary>Result of running the ONNX model next to ML.NET on the same rows.</summary>
public sealed record OnnxParity(long Rows, double MaxAbsoluteDifference, long WorstRow, double Tolerance)
{
    public override string ToString() =>
        $"ONNX parity on {Rows} rows: largest absolute probability difference {MaxAbsoluteDifference:G3} (row {WorstRow}), tolerance {Tolerance:G3}";
}
