namespace MLOps.Pipelines.ML.Registry;

/// <summary>One move of an alias: from which version (null when it was first set) to which, by whom, when and why.</summary>
public sealed record AliasMove(
    string Alias,
    int? From,
    int To,
    AliasMoveKind Kind,
    string By,
    DateTimeOffset At,
    string Why);
