namespace MLOps.Pipelines;

/// <summary>
/// Marks a field or property of the build as a parameter, resolved from the command line (<c>--learning-rate 0.1</c>),
/// then <c>.nuke/parameters.&lt;profile&gt;.json</c>, then <c>.nuke/parameters.json</c>, then the environment (<c>LEARNING_RATE</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;
    /// <summary>Overrides the member name (the command-line and environment names derive from it).</summary>
    public string? Name { get; init; }
}

/// <summary>A parameter whose value is never printed, logged, written to the lock file or hashed.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;
