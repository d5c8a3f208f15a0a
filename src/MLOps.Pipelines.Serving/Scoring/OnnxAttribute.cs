namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>One attribute of an <see cref="OnnxNode"/>: whichever of its value fields are present (<see cref="String"/>: the single string, e.g. a mode name).</summary>
internal sealed record OnnxAttribute(string Name, float? Float, long? Int, IReadOnlyList<float> Floats, IReadOnlyList<long> Ints, IReadOnlyList<string> Strings, string? String = null);
