namespace MLOps.Pipelines.ML.Evaluation;

/// <summary>The registered champion the new model is compared with, and its value of the gate's metric.</summary>
public sealed record ChampionModel(string Version, double Value)
{
    /// <summary>The champion's model digest (recorded in gate.json, so a later champion move is seen); null when unknown.</summary>
    public string? ModelSha256 { get; init; }
}
