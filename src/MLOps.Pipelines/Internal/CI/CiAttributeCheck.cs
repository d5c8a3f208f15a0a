using System.Text.RegularExpressions;
using MLOps.Pipelines.CI;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>A secret a pipeline imports: the environment variable the engine reads and the CI secret it comes from.</summary>
internal sealed record CiSecret(string EnvironmentName, string SecretName);

/// <summary>Checks the platform-neutral attribute properties against the build and resolves names.</summary>
internal static partial class CiAttributeCheck
{
    public static void Triggers(CiAttribute attribute, string where)
    {
        if (attribute.On.Length == 0 && attribute.OnCronSchedule is null && attribute.DispatchInputs.Length == 0)
            throw new CiConfigurationException($"{where}: the pipeline has no trigger. Set On = [CiTrigger.Push, ...] or OnCronSchedule = \"0 3 * * *\".");
        Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushBranches", attribute.OnPushBranches, "Push");
        Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushTags", attribute.OnPushTags, "Push");
        Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushPaths", attribute.OnPushPaths, "Push");
        Require(attribute.On.Contains(CiTrigger.PullRequest), where, "OnPullRequestBranches", attribute.OnPullRequestBranches, "PullRequest");
        Require(attribute.On.Contains(CiTrigger.PullRequest), where, "OnPullRequestPaths", attribute.OnPullRequestPaths, "PullRequest");
        if (attribute.OnCronSchedule is not null)
            CronSchedule.Validate(attribute.OnCronSchedule, $"{where} OnCronSchedule");
        if (attribute.TimeoutMinutes < 0)
            throw new CiConfigurationException($"{where}: TimeoutMinutes is {attribute.TimeoutMinutes}; use a positive number of minutes, or 0 for the platform's default.");
    }

    public static void Require(bool triggerSet, string where, string property, string[] values, string trigger)
    {
        if (values.Length > 0 && !triggerSet)
            throw new CiConfigurationException($"{where}: {property} is set but On does not include CiTrigger.{trigger}. Add it to On or remove {property}.");
    }

    public static IReadOnlyList<CiSecret> Secrets(CiAttribute attribute, CiBuild build, string where)
    {
        var secrets = new List<CiSecret>();
        foreach (var name in attribute.ImportSecrets)
        {
            var secret = build.FindParameter(name) is { } parameter
                ? new CiSecret(parameter.EnvironmentName, parameter.EnvironmentName)
                : new CiSecret(name, name);
            if (!VariableName().IsMatch(secret.SecretName))
                throw new CiConfigurationException($"{where}: ImportSecrets names '{name}', which is neither a parameter of the build nor a valid secret name (letters, digits, '_', not starting with a digit).");
            if (secrets.Any(s => s.EnvironmentName == secret.EnvironmentName))
                throw new CiConfigurationException($"{where}: ImportSecrets imports '{secret.EnvironmentName}' twice.");
            secrets.Add(secret);
        }
        return secrets;
    }

    public static IReadOnlyList<CiParameter> DispatchInputs(CiAttribute attribute, CiBuild build, string where)
    {
        var inputs = new List<CiParameter>();
        foreach (var name in attribute.DispatchInputs)
        {
            var parameter = build.FindParameter(name) ?? throw new CiConfigurationException(
                $"{where}: DispatchInputs names '{name}', which is not a parameter of the build. Parameters: {string.Join(", ", build.Parameters.Where(p => !p.IsSecret).Select(p => p.MemberName))}.");
            if (parameter.IsSecret)
                throw new CiConfigurationException($"{where}: DispatchInputs names the secret '{name}'; a manual run's inputs are visible in the run's log. Import it with ImportSecrets instead.");
            if (parameter.Kind == CiParameterKind.Enum && parameter.EnumValues.Count == 0)
                throw new CiConfigurationException($"{where}: parameter '{name}' is an enum without values; the build description must list its EnumValues.");
            if (!inputs.Contains(parameter))
                inputs.Add(parameter);
        }
        return inputs;
    }

    public static void VariableNameOf(string? value, string where, string property)
    {
        if (value is not null && !VariableName().IsMatch(value))
            throw new CiConfigurationException($"{where}: {property} '{value}' is not a variable name (letters, digits, '_', not starting with a digit).");
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
