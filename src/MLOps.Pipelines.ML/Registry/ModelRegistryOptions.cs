namespace MLOps.Pipelines.ML.Registry;

/// <summary>Knobs of a <see cref="ModelRegistry"/>; the defaults suit a developer's machine and CI.</summary>
public sealed record ModelRegistryOptions
{
    /// <summary>Clock for created-at and alias-move timestamps.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Who registers and moves aliases; defaults to the user name from the environment.</summary>
    public string? User { get; init; }

    /// <summary>How long to wait for another process holding the registry lock.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
