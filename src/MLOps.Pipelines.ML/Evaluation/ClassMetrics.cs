namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>Precision, recall and F1 of one class (one against the rest), with how many test rows hold it.</summary>
public sealed record ClassMetrics(string Class, long Support, double Precision, double Recall, double F1);
