using System.Text.RegularExpressions;

namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>registration.json</c>, Register's receipt that Report, ModelCard and Package read: the registered version, its
/// digest and the aliases pointing at it once Register is done — the registration, not the run that made it. Report and
/// ModelCard take it as an input, so the same registration must give the same bytes: a forced Register of a model the
/// registry already has writes this file unchanged (no timestamps, no "registered now"; what the run did, such as a
/// promotion, goes to <see cref="RegistryChange"/> and to the registry's own history).
/// </summary>
public sealed partial record RegistrationReceipt(
    string Model,
    int Version,
    string ModelSha256,
    IReadOnlyList<string> AliasesAtRegistration)
{
    public const string FileName = "registration.json";

    /// <summary>Reads and checks a receipt: later stages put its model name in paths and look its version up in the registry.</summary>
    public static RegistrationReceipt Read(string path)
    {
        var receipt = ArtifactJson.Read<RegistrationReceipt>(path, "Register");
        var problem = receipt switch
        {
            { Model: null } or { Model: "" } => "has no model name",
            _ when !ModelNamePattern().IsMatch(receipt.Model) => $"names the model '{receipt.Model}', which is not a model name (lowercase letters, digits, '.', '_', '-')",
            { Version: < 1 } => $"names version {receipt.Version}; versions start at 1",
            _ when !Registry.Sha256Digest.IsValid(receipt.ModelSha256) => $"has model_sha256 '{receipt.ModelSha256}'; expected 64 lowercase hex characters",
            { AliasesAtRegistration: null } => "has no aliases_at_registration list",
            _ => null,
        };
        return problem is null ? receipt : throw new InvalidDataException($"{path} {problem}: delete it and run Register again.");
    }

    public void Write(string path) => ArtifactJson.Write(path, this);

    // The registry's rule for model names (ModelRegistry.ForModel): the name becomes a folder.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ModelNamePattern();
}
