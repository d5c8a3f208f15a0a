namespace MLOps.Pipelines;

/// <summary>
/// Marks a field or property of the build as a parameter, resolved from the command line (<c>--learning-rate 0.1</c>),
/// then <c>.nuke/parameters.&lt;profile&gt;.json</c>, then <c>.nuke/parameters.json</c>, then the environment (<c>LEARNING_RATE</c>).
/// A value outside the declared range, a non-finite number (NaN, ∞) unless <see cref="AllowNonFinite"/>, or a path
/// that must exist and does not stops the build with exit code 2 before any target runs:
/// <c>[Parameter("Share of rows to train on", Min = 0, Max = 1, ExclusiveMin = true, ExclusiveMax = true)]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public class ParameterAttribute(string? description = null) : Attribute
{
    public string? Description { get; } = description;
    /// <summary>Overrides the member name (the command-line and environment names derive from it).</summary>
    public string? Name { get; init; }
    /// <summary>The least allowed value of a number (unset: NaN).</summary>
    public double Min { get; init; } = double.NaN;
    /// <summary>The greatest allowed value of a number (unset: NaN).</summary>
    public double Max { get; init; } = double.NaN;
    /// <summary><see cref="Min"/> itself is not allowed.</summary>
    public bool ExclusiveMin { get; init; }
    /// <summary><see cref="Max"/> itself is not allowed.</summary>
    public bool ExclusiveMax { get; init; }
    /// <summary>Accept NaN and ±∞ for a float or double (refused by default: a NaN bound passes every comparison).</summary>
    public bool AllowNonFinite { get; init; }
    /// <summary>An <see cref="AbsolutePath"/> parameter that, when given, must name an existing file or directory.</summary>
    public bool MustExist { get; init; }
}
