namespace MLOps.Pipelines.ML.Registry;

/// <summary>Why an alias moved.</summary>
public enum AliasMoveKind
{
    /// <summary>Set by hand or by a pipeline step (<see cref="ModelRegistry.SetAlias"/>).</summary>
    Set,
    /// <summary>Moved by the promotion policy (<see cref="ModelRegistry.Promote"/>).</summary>
    Promote,
    /// <summary>Moved back by <see cref="ModelRegistry.Rollback"/>.</summary>
    Rollback,
}
