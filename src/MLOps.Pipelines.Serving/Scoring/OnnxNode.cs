namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>One node of an <see cref="OnnxGraph"/>.</summary>
internal sealed record OnnxNode(string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes);
