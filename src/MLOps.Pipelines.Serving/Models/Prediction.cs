namespace MLOps.Pipelines.Serving.Models;

/// <summary>
/// Scores of a batch: <see cref="Width"/> probabilities per row, row-major (binary: one, the positive class's), with
/// the class names in probability order (binary: null; the label is then <c>probability ≥ 0.5</c>).
/// </summary>
public sealed record Prediction(float[] Probabilities, int Width, int Rows, IReadOnlyList<string>? Classes)
{
    public bool IsBinary => Width == 1;

    /// <summary>The probability of the predicted label of row <paramref name="row"/>.</summary>
    public float LabelProbability(int row) => IsBinary ? Probabilities[row] : Probabilities[(row * Width) + ArgMax(row)];

    /// <summary>Binary: the positive-class probability; multiclass: the winning class's.</summary>
    public float Score(int row) => IsBinary ? Probabilities[row] : LabelProbability(row);

    public bool BinaryLabel(int row) => Probabilities[row] >= 0.5f;

    public string ClassLabel(int row) => Classes![ArgMax(row)];

    public ReadOnlySpan<float> Row(int row) => Probabilities.AsSpan(row * Width, Width);

    private int ArgMax(int row)
    {
        var span = Row(row);
        var best = 0;
        for (var i = 1; i < span.Length; i++)
            if (span[i] > span[best]) best = i;
        return best;
    }
}
