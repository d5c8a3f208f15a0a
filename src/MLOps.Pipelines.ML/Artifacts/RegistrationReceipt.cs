namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>registration.json</c>, Register's receipt that Report and Package read: the registered version, its digest,
/// whether this run registered it, and the promotion decision. No timestamps: the same model and decision give the same bytes.
/// </summary>
public sealed record RegistrationReceipt(
    string Model,
    int Version,
    string ModelSha256,
    bool RegisteredNow,
    IReadOnlyList<string> AliasesAtRegistration,
    bool Promoted,
    string Promotion)
{
    public const string FileName = "registration.json";

    public static RegistrationReceipt Read(string path) => ArtifactJson.Read<RegistrationReceipt>(path, "Register");

    public void Write(string path) => ArtifactJson.Write(path, this);
}
