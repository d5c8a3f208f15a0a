namespace MLOps.Pipelines.CI;

/// <summary>
/// An environment variable every generated CI job gets (GitHub Actions <c>env:</c>, GitLab <c>variables:</c>), declared
/// by the build that needs it, e.g. <c>[CiEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE")]</c> for a build whose
/// trainers use OpenMP (it must be set before the process starts). Repeat the attribute for several variables.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CiEnvironmentVariableAttribute(string name, string value) : Attribute
{
    /// <summary>The variable's name: letters, digits and '_', not starting with a digit.</summary>
    public string Name { get; } = name;
    public string Value { get; } = value;
}
