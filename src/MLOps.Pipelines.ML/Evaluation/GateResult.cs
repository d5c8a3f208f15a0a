namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>The gate's verdict, with the metric, its value and the threshold it was judged against.</summary>
public sealed record GateResult(bool Passed, string Message, string Metric, double Value, double Threshold);
