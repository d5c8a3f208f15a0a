namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>The registered champion the new model is compared with, and its value of the gate's metric.</summary>
public sealed record ChampionModel(string Version, double Value);
