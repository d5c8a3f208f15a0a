namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// Scores with the model's encoding nodes run by <see cref="FeatureVectorEncoder"/> in managed code and only the rest
/// of the graph (the trees and the calibration) in ONNX Runtime, fed the encoded vector. Made only when the split
/// scores a set of probe rows exactly as the whole graph does in ONNX Runtime.
/// </summary>
internal sealed class SplitOnnxScorer : IFeatureScorer
{
    /// <summary>Largest difference to the whole graph's probabilities accepted on the probe rows (the vector is the same; only ORT's kernels could differ).</summary>
    public const float ProbeTolerance = 1e-6f;

    private readonly OnnxScorer whole;
    private readonly FeatureVectorEncoder encoder;
    private readonly OnnxScorer rest;

    private SplitOnnxScorer(OnnxScorer whole, FeatureVectorEncoder encoder, OnnxScorer rest)
    {
        this.whole = whole;
        this.encoder = encoder;
        this.rest = rest;
    }

    public IReadOnlyList<string> InputNames => whole.InputNames;

    public int Width => whole.Width;

    /// <summary>How many nodes the managed encoder runs in place of ONNX Runtime, for the log.</summary>
    public string Description { get; private init; } = "";

    public bool IsTextInput(string name) => whole.IsTextInput(name);

    /// <summary>
    /// The split scorer for <paramref name="model"/> (the bytes <paramref name="whole"/> was loaded from), or null with
    /// the reason when the graph cannot be split or the split disagrees with the whole graph on the probe rows.
    /// </summary>
    /// <param name="probe">Computed features of rows to compare on (golden records; missing and unseen values are added here).</param>
    public static SplitOnnxScorer? TryCreate(OnnxScorer whole, byte[] model, string output, IReadOnlyDictionary<string, Array> probe, int probeRows, out string reason)
    {
        var graph = OnnxGraph.Read(model);
        var text = whole.InputNames.ToDictionary(n => n, whole.IsTextInput, StringComparer.Ordinal);
        var encoder = FeatureVectorEncoder.Compile(graph, text, out var keep, out reason);
        if (encoder is null) return null;
        OnnxScorer? rest = null;
        try
        {
            rest = new OnnxScorer(OnnxGraph.Cut(model, keep, encoder.Output, encoder.Width), output, $"{output} after '{encoder.Output}'");
            var split = new SplitOnnxScorer(whole, encoder, rest)
            {
                Description = $"{graph.Nodes.Count - keep.Count} encoding nodes in managed code, {keep.Count} nodes in ONNX Runtime (from '{encoder.Output}', {encoder.Width} floats a row)",
            };
            var (features, rows) = ProbeRows.WithMissingAndUnseen(probe, probeRows, text);
            var expected = whole.Score(features, rows);
            var actual = split.Score(features, rows);
            for (var i = 0; i < expected.Length; i++)
            {
                if (!(Math.Abs(expected[i] - actual[i]) <= ProbeTolerance))
                {
                    reason = $"the split graph scored probe value {i} as {actual[i]:R}, the whole graph as {expected[i]:R}";
                    rest.Dispose();
                    return null;
                }
            }

            reason = "";
            return split;
        }
        catch (Exception e) when (e is Microsoft.ML.OnnxRuntime.OnnxRuntimeException or InvalidOperationException or InvalidDataException)
        {
            rest?.Dispose();
            reason = $"the cut graph does not load or run: {e.Message}";
            return null;
        }
    }

    public float[] Score(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var vector = encoder.Encode(features, rows);
        return rest.Score(new Dictionary<string, Array>(1, StringComparer.Ordinal) { [encoder.Output] = vector }, rows);
    }

    /// <summary>Disposes the cut session; the whole-graph scorer belongs to the caller.</summary>
    public void Dispose() => rest.Dispose();
}
