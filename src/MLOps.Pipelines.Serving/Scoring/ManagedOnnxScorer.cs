using System.Buffers;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// Scores a model's whole graph in managed code: the encoding nodes by <see cref="FeatureVectorEncoder"/>, the trees
/// and what follows them by <see cref="ManagedGraphTail"/>; no ONNX Runtime call per request. Made only when it scores
/// a set of probe rows as the whole graph does in ONNX Runtime, within <see cref="SplitOnnxScorer.ProbeTolerance"/>.
/// </summary>
/// <remarks>
/// Why: ONNX Runtime's fixed cost per <c>Run</c> (~20–30 µs: input values, the session's executor, output copies) is
/// most of a one-record request's scoring time; the trees of a served model are a few hundred nodes walked per row.
/// </remarks>
internal sealed class ManagedOnnxScorer : IFeatureScorer
{
    private readonly OnnxScorer whole;
    private readonly FeatureVectorEncoder encoder;
    private readonly ManagedGraphTail tail;

    private ManagedOnnxScorer(OnnxScorer whole, FeatureVectorEncoder encoder, ManagedGraphTail tail)
    {
        this.whole = whole;
        this.encoder = encoder;
        this.tail = tail;
    }

    public IReadOnlyList<string> InputNames => whole.InputNames;

    public int Width => whole.Width;

    /// <summary>What runs where, for the log and <c>ScoringPath</c>.</summary>
    public string Description { get; private init; } = "";

    public bool IsTextInput(string name) => whole.IsTextInput(name);

    /// <summary>
    /// The managed scorer for <paramref name="model"/> (the bytes <paramref name="whole"/> was loaded from), or null with
    /// the reason: an op or attribute it cannot run, or a probe row it scores differently from the whole graph.
    /// </summary>
    public static ManagedOnnxScorer? TryCreate(OnnxScorer whole, byte[] model, string output, IReadOnlyDictionary<string, Array> probe, int probeRows, out string reason)
    {
        var graph = OnnxGraph.Read(model);
        var text = whole.InputNames.ToDictionary(n => n, whole.IsTextInput, StringComparer.Ordinal);
        var encoder = FeatureVectorEncoder.Compile(graph, text, out var rest, out reason);
        if (encoder is null) return null;
        var tail = ManagedGraphTail.Compile(graph, encoder.Output, encoder.Width, output, out reason);
        if (tail is null) return null;
        if (tail.OutputWidth != whole.Width)
        {
            reason = $"the managed graph gives {tail.OutputWidth} values a row for '{output}', ONNX Runtime {whole.Width}";
            return null;
        }

        var scorer = new ManagedOnnxScorer(whole, encoder, tail)
        {
            Description = $"whole graph in managed code: {graph.Nodes.Count - rest.Count} encoding nodes, then {tail.Description} " +
                $"(from '{encoder.Output}', {encoder.Width} floats a row); no ONNX Runtime call per request",
        };
        var (features, rows) = ProbeRows.WithMissingAndUnseen(probe, probeRows, text);
        try
        {
            var expected = whole.Score(features, rows);
            var actual = scorer.Score(features, rows);
            for (var i = 0; i < expected.Length; i++)
            {
                if (!(Math.Abs(expected[i] - actual[i]) <= SplitOnnxScorer.ProbeTolerance))
                {
                    reason = $"managed code scored probe value {i} as {actual[i]:R}, ONNX Runtime's whole graph as {expected[i]:R}";
                    return null;
                }
            }
        }
        catch (InvalidOperationException e)
        {
            reason = $"managed code failed on the probe rows: {e.Message}";
            return null;
        }

        reason = "";
        return scorer;
    }

    public float[] Score(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var vectors = ArrayPool<float>.Shared.Rent(rows * encoder.Width);
        try
        {
            encoder.Encode(features, rows, vectors);
            return tail.Run(vectors, rows);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vectors);
        }
    }

    /// <summary>Nothing of its own to release; the whole-graph scorer belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
