namespace MLOps.Pipelines.CI;

/// <summary>
/// A parameter every generated CI job takes from a CI/CD variable of the repository or project (GitHub Actions
/// <c>vars.NAME</c>, GitLab <c>$NAME</c>), declared by the build that needs it, so that no address is written into the
/// generated files: e.g. <c>[CiVariable("ModelStore", "MLOPS_MODEL_STORE")]</c> gives each job
/// <c>MODEL_STORE=${{ vars.MLOPS_MODEL_STORE }}</c>. An unset variable is empty, which the engine reads as not given (the
/// parameter's default). Secrets go through <see cref="CiAttribute.ImportSecrets"/> instead. Repeat for several.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CiVariableAttribute(string parameter, string variable) : Attribute
{
    /// <summary>The parameter (member, CLI or environment name; exported under its environment name) or a plain environment variable name.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>The CI/CD variable holding the value: letters, digits and '_', not starting with a digit.</summary>
    public string Variable { get; } = variable;
}
