using System.Diagnostics;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>What Train wrote and how long the fit took.</summary>
public sealed record TrainStageResult(string ModelPath, long TrainRows, TimeSpan FitTime);
