using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// <c>golden.json</c>, written next to <c>model.onnx</c> at Export: raw records in the schema's fields (as a client
/// sends them to <c>POST /predict</c>; the label left out) and, per record, the class-probability vector the ONNX model
/// gave offline (binary: one value, the positive class's probability). A model server is ready only when it
/// reproduces them within <see cref="Tolerance"/>.
/// </summary>
/// <param name="Output">The ONNX output the probabilities were read from (e.g. <c>Probability.output</c>).</param>
/// <param name="OnnxSha256">SHA-256 of the model.onnx the expectations come from (lower-case hex).</param>
/// <param name="Records">Raw records: field → JSON value (string, number, bool, null = missing).</param>
/// <param name="Expected">Per record, the probabilities in the model's class order.</param>
public sealed record GoldenRecords(
    string Output,
    double Tolerance,
    string OnnxSha256,
    IReadOnlyList<JsonObject> Records,
    IReadOnlyList<float[]> Expected)
{
    public const string FileName = "golden.json";
    public const string Format = "mlops-golden-records/1";

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["format"] = Format,
            ["output"] = Output,
            ["tolerance"] = Tolerance,
            ["onnx_sha256"] = OnnxSha256,
            ["records"] = new JsonArray(Records.Select(r => (JsonNode?)r.DeepClone()).ToArray()),
            ["expected"] = new JsonArray(Expected.Select(e => (JsonNode?)new JsonArray(e.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads a golden file; throws <see cref="InvalidDataException"/> naming the file and the broken field.</summary>
    public static GoldenRecords Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message}); re-run Export to rewrite it.", e);
        }

        string Text(string field) => root?[field]?.GetValue<string>() ?? throw Broken(path, field);
        if (root?["format"]?.GetValue<string>() != Format) throw Broken(path, "format");
        var records = (root["records"] as JsonArray ?? throw Broken(path, "records"))
            .Select(r => r as JsonObject ?? throw Broken(path, "records")).Select(r => (JsonObject)r.DeepClone()).ToList();
        var expected = (root["expected"] as JsonArray ?? throw Broken(path, "expected"))
            .Select(e => (e as JsonArray ?? throw Broken(path, "expected")).Select(v => v!.GetValue<float>()).ToArray()).ToList();
        if (records.Count != expected.Count || records.Count == 0) throw Broken(path, "records/expected (counts differ or empty)");
        return new GoldenRecords(Text("output"), root["tolerance"]?.GetValue<double>() ?? throw Broken(path, "tolerance"), Text("onnx_sha256"), records, expected);
    }

    private static InvalidDataException Broken(string path, string field) =>
        new($"{path}: field '{field}' is missing or malformed (expected {Format}); re-run Export to rewrite it.");
}
