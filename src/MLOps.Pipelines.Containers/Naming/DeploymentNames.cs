using System.Text.RegularExpressions;

namespace MLOps.Pipelines.Containers.Naming;

/// <summary>
/// The names that become folder names, container names and image tags in a deployment. Validated before any path is
/// built from them: a model name by the model registry's rule, an environment by a stricter one.
/// </summary>
public static partial class DeploymentNames
{
    public static string ModelName(string? name, string parameter = "model")
    {
        if (name is null || name.Length > 128 || !ModelNamePattern().IsMatch(name))
            throw new ArgumentException(
                $"{parameter} '{name ?? "null"}' is not a model name: use 1–128 lowercase letters, digits, '.', '_' and '-', starting with a letter or digit (e.g. flight-delays).",
                parameter);
        return name;
    }

    public static string Environment(string? name, string parameter = "--deploy-environment")
    {
        if (name is null || name.Length > 64 || !EnvironmentPattern().IsMatch(name))
            throw new ArgumentException(
                $"{parameter} '{name ?? "null"}' is not an environment name: use 1–64 lowercase letters, digits, '_' and '-', starting with a letter or digit (e.g. local, staging).",
                parameter);
        return name;
    }

    public static int Version(int version, string parameter = "version") =>
        version >= 1 ? version : throw new ArgumentException($"{parameter} {version} is not a registry version (they start at 1).", parameter);

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex EnvironmentPattern();
}
