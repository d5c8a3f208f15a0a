namespace MLOps.Pipelines.ML.Features;
public sealed record FeatureSpec(string Label, IReadOnlyList<string> Numeric, IReadOnlyList<string> Categorical);
