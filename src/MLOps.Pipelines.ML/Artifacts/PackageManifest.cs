namespace MLOps.Pipelines.ML.Artifacts;

/// <summary>
/// <c>model.json</c> inside a package, which Deploy and a model server read: model name, registered version and
/// digest, the ONNX file, its inputs and output (and classes for a multiclass model), the parity and the headline metrics.
/// </summary>
public sealed record PackageManifest(
    string Model,
    int Version,
    string ModelZipSha256,
    string Onnx,
    IReadOnlyList<string> Inputs,
    string Output,
    double OnnxParityMaxAbsoluteDifference,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string>? Classes = null)
{
    public const string FileName = "model.json";

    public static PackageManifest Parse(string json, string source)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<PackageManifest>(json, ArtifactJson.Options)
                   ?? throw new InvalidDataException($"{source}: {FileName} is null; run Package again.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{source}: {FileName} is not a package manifest: {e.Message} Run Package again.", e);
        }
    }

    public string Serialize() => ArtifactJson.Serialize(this);
}
