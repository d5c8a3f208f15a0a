namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>One attribute of an <see cref="OnnxNode"/>: whichever of its value fields are present.</summary>
internal sealed record OnnxAttribute(string Name, float? Float, long? Int, IReadOnlyList<float> Floats, IReadOnlyList<long> Ints, IReadOnlyList<string> Strings);
