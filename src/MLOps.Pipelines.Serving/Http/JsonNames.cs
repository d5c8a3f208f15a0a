using System.Runtime.CompilerServices;
using System.Text.Json;
using MLOps.Pipelines.Serving.Models;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// Property names and constant values of the per-request responses, and each served model's name and version, encoded
/// once (the writer copies them instead of escaping them on every response).
/// </summary>
internal static class JsonNames
{
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText Model = JsonEncodedText.Encode("model");
    public static readonly JsonEncodedText ModelName = JsonEncodedText.Encode("model_name");
    public static readonly JsonEncodedText ModelVersion = JsonEncodedText.Encode("model_version");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Outputs = JsonEncodedText.Encode("outputs");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Datatype = JsonEncodedText.Encode("datatype");
    public static readonly JsonEncodedText Shape = JsonEncodedText.Encode("shape");
    public static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    public static readonly JsonEncodedText Predictions = JsonEncodedText.Encode("predictions");
    public static readonly JsonEncodedText Label = JsonEncodedText.Encode("label");
    public static readonly JsonEncodedText Probability = JsonEncodedText.Encode("probability");
    public static readonly JsonEncodedText Probabilities = JsonEncodedText.Encode("probabilities");
    public static readonly JsonEncodedText Fp32 = JsonEncodedText.Encode("FP32");
    public static readonly JsonEncodedText Bool = JsonEncodedText.Encode("BOOL");
    public static readonly JsonEncodedText Bytes = JsonEncodedText.Encode("BYTES");

    private static readonly ConditionalWeakTable<ServedModel, Encoded> Models = [];

    /// <summary>A model's name and version, encoded once per served model.</summary>
    public static Encoded Of(ServedModel model) => Models.GetValue(model, m => new Encoded(JsonEncodedText.Encode(m.Name), JsonEncodedText.Encode(m.Version)));

    public sealed record Encoded(JsonEncodedText Name, JsonEncodedText Version);
}
