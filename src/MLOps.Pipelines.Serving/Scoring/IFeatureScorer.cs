namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>Scores computed feature columns (float[] or string?[] per model input, one value per row) to probabilities.</summary>
internal interface IFeatureScorer : IDisposable
{
    /// <summary>The model's inputs: the computed features it reads.</summary>
    IReadOnlyList<string> InputNames { get; }

    /// <summary>Probabilities per row: 1 for binary, the number of classes for multiclass.</summary>
    int Width { get; }

    bool IsTextInput(string name);

    /// <summary>Row-major probabilities, <see cref="Width"/> per row.</summary>
    float[] Score(IReadOnlyDictionary<string, Array> features, int rows);
}
