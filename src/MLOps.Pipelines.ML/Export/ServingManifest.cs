using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// <c>model.json</c> of a model directory a server loads (beside <c>model.onnx</c> and <c>golden.json</c>): the name
/// the registry gives the model, the registry version served, and the identity of its raw schema and features. The
/// features are C# code, so <see cref="Pipeline"/> names the pipeline whose feature definition the server must run
/// (resolved through the catalog the server host references); <see cref="Features"/> lets the server refuse a
/// definition that no longer matches the one the model was trained with.
/// </summary>
/// <param name="Name">Registry model name, e.g. <c>customer-churn</c>; also the name clients use in URLs.</param>
/// <param name="Version">Registry version served (a string, as the inference protocol's <c>versions</c> are).</param>
/// <param name="Pipeline">The pipeline whose schema and features the model was trained with, e.g. <c>CustomerChurn</c>.</param>
/// <param name="Schema">The schema contract's name, e.g. <c>telco-churn</c>.</param>
/// <param name="Features">The non-label features as <c>name:Kind</c>, in declaration order.</param>
/// <param name="Classes">Class names in the order of the model's probability vector (multiclass); null for binary.</param>
/// <param name="NumericReference">The raw numeric fields' distributions in the ingested data, by field (see
/// <see cref="Export.NumericReference"/>): the buckets a server counts live values into; null when not recorded.</param>
public sealed record ServingManifest(
    string Name,
    string Version,
    string Pipeline,
    string Schema,
    IReadOnlyList<string> Features,
    IReadOnlyList<string>? Classes = null,
    IReadOnlyDictionary<string, NumericReference>? NumericReference = null)
{
    public const string FileName = "model.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The <see cref="Features"/> entries of a feature definition (non-label columns, declaration order).</summary>
    public static IReadOnlyList<string> FeatureIdentity(Features.FeatureDefinition features) =>
        features.Columns.Where(c => c.Kind != ML.Features.FeatureKind.Label).Select(c => $"{c.Name}:{c.Kind}").ToList();

    public void Write(string directory) =>
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads <c>model.json</c> from a model directory; throws <see cref="InvalidDataException"/> naming the file and field.</summary>
    public static ServingManifest Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no model.json in the model directory (it names the model, version and pipeline).", path);
        ServingManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ServingManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid model.json ({e.Message}).", e);
        }

        if (manifest is null) throw new InvalidDataException($"{path}: empty model.json.");
        foreach (var (field, value) in new[] { ("name", manifest.Name), ("version", manifest.Version), ("pipeline", manifest.Pipeline), ("schema", manifest.Schema) })
            if (string.IsNullOrWhiteSpace(value)) throw new InvalidDataException($"{path}: field '{field}' is missing or empty.");
        if (manifest.Features is null || manifest.Features.Count == 0) throw new InvalidDataException($"{path}: field 'features' is missing or empty.");
        foreach (var (field, reference) in manifest.NumericReference ?? new Dictionary<string, NumericReference>())
        {
            var edges = reference?.Edges ?? [];
            if (edges.Count == 0 || edges.Zip(edges.Skip(1)).Any(p => !(p.First < p.Second)) || reference!.Shares?.Count != edges.Count + 1)
                throw new InvalidDataException(
                    $"{path}: numeric_reference.{field} needs 'edges' (increasing, at least one) and 'shares' (one more than the edges); write model.json again with Export.");
        }

        return manifest;
    }
}
