namespace MLOps.Pipelines.ML.Artifacts;

public sealed record ClassReport(string Class, long Support, double? Precision, double? Recall, double? F1);
