using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// The Open Inference Protocol v2 REST API (KServe, Triton, Seldon MLServer): health, server and model metadata,
/// model readiness and inference, with and without <c>/versions/{version}</c>. Not-ready answers 400 as the protocol
/// says ("4xx indicates false"); errors are <c>{"error": "..."}</c>.
/// </summary>
internal static class InferenceProtocolEndpoints
{
    public const string ProbabilityOutput = "probability";
    public const string ProbabilitiesOutput = "probabilities";
    public const string LabelOutput = "label";

    public static void Map(WebApplication app, ModelServer server)
    {
        app.MapGet("/v2", (HttpContext c) => JsonResponse.WriteAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", "mlops-pipelines-serving");
            w.WriteString("version", typeof(ModelServer).Assembly.GetName().Version?.ToString() ?? "0");
            w.WriteStartArray("extensions");
            w.WriteEndArray();
            w.WriteEndObject();
        }));
        app.MapGet("/v2/health/live", (HttpContext c) => JsonResponse.WriteAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("live", true);
            w.WriteEndObject();
        }));
        app.MapGet("/v2/health/ready", (HttpContext c) => JsonResponse.WriteAsync(c, server.Ready ? 200 : 400, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ready", server.Ready);
            w.WriteStartObject("models");
            foreach (var m in server.Models) w.WriteString(m.Name, m.Status == ModelStatus.Failed ? $"failed: {m.Failure}" : m.Status.ToString().ToLowerInvariant());
            w.WriteEndObject();
            w.WriteEndObject();
        }));

        app.MapGet("/v2/models/{name}", (HttpContext c, string name) => MetadataAsync(c, server, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (HttpContext c, string name, string version) => MetadataAsync(c, server, name, version));
        app.MapGet("/v2/models/{name}/ready", (HttpContext c, string name) => ModelReadyAsync(c, server, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (HttpContext c, string name, string version) => ModelReadyAsync(c, server, name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext c, string name) => InferAsync(c, server, name, null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext c, string name, string version) => InferAsync(c, server, name, version));
    }

    private static Task MetadataAsync(HttpContext context, ModelServer server, string name, string? version)
    {
        var model = Known(server, name, version);
        var schema = model.Pipeline.Schema;
        return JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteStartArray("versions");
            w.WriteStringValue(model.Version);
            w.WriteEndArray();
            w.WriteString("platform", "onnxruntime_onnx");
            w.WriteStartArray("inputs");
            foreach (var column in schema.Columns.Where(c => c.Name != schema.Label))
                Tensor(w, column.Name, TensorReader.Datatype(column.Type), [-1, 1]);
            w.WriteEndArray();
            w.WriteStartArray("outputs");
            if (model.Classes is null)
            {
                Tensor(w, ProbabilityOutput, "FP32", [-1]);
                Tensor(w, LabelOutput, "BOOL", [-1]);
            }
            else
            {
                Tensor(w, LabelOutput, "BYTES", [-1]);
                Tensor(w, ProbabilityOutput, "FP32", [-1]);
                Tensor(w, ProbabilitiesOutput, "FP32", [-1, model.Classes.Count]);
            }

            w.WriteEndArray();
            w.WriteStartObject("parameters");
            w.WriteString("pipeline", model.Manifest.Pipeline);
            w.WriteString("schema", schema.Name);
            w.WriteString("status", model.Status.ToString().ToLowerInvariant());
            if (model.Classes is { } classes)
            {
                w.WriteStartArray("classes");
                foreach (var c in classes) w.WriteStringValue(c);
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static Task ModelReadyAsync(HttpContext context, ModelServer server, string name, string? version)
    {
        var model = Known(server, name, version);
        var ready = model.Status == ModelStatus.Ready;
        return JsonResponse.WriteAsync(context, ready ? 200 : 400, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteBoolean("ready", ready);
            if (!ready) w.WriteString("error", model.Failure is null ? "loading" : model.Failure);
            w.WriteEndObject();
        });
    }

    private static readonly string[] BinaryOutputs = [ProbabilityOutput, LabelOutput];
    private static readonly string[] MulticlassOutputs = [LabelOutput, ProbabilityOutput, ProbabilitiesOutput];

    private static async Task InferAsync(HttpContext context, ModelServer server, string name, string? version)
    {
        var model = server.ReadyModel(name, version);
        var request = await RequestBody.ReadAsync(context, server.Options.MaxRequestBodyBytes, model.Pipeline.Schema, server.Options.MaxBatchRows, TensorReader.Read);
        var available = model.Classes is null ? BinaryOutputs : MulticlassOutputs;
        var wanted = request.Outputs ?? available;
        foreach (var output in wanted)
            if (Array.IndexOf(available, output) < 0) throw InputException.BadRequest($"requested output '{output}' does not exist (outputs: {string.Join(", ", available)})");
        var prediction = await model.PredictAsync(request.Batch);
        await JsonResponse.WriteAsync(context, 200, (Model: JsonNames.Of(model), request.Id, Wanted: wanted, Prediction: prediction), static (w, s) =>
        {
            var (model, id, wanted, prediction) = s;
            var rows = prediction.Rows;
            w.WriteStartObject();
            w.WriteString(JsonNames.ModelName, model.Name);
            w.WriteString(JsonNames.ModelVersion, model.Version);
            if (id is not null) w.WriteString(JsonNames.Id, id);
            w.WriteStartArray(JsonNames.Outputs);
            foreach (var output in wanted)
            {
                w.WriteStartObject();
                w.WriteString(JsonNames.Name, output);
                switch (output)
                {
                    case ProbabilityOutput:
                        Header(w, JsonNames.Fp32, rows);
                        for (var i = 0; i < rows; i++) w.WriteNumberValue(prediction.LabelProbability(i));
                        break;
                    case LabelOutput when prediction.IsBinary:
                        Header(w, JsonNames.Bool, rows);
                        for (var i = 0; i < rows; i++) w.WriteBooleanValue(prediction.BinaryLabel(i));
                        break;
                    case LabelOutput:
                        Header(w, JsonNames.Bytes, rows);
                        for (var i = 0; i < rows; i++) w.WriteStringValue(prediction.ClassLabel(i));
                        break;
                    default:
                        Header(w, JsonNames.Fp32, rows, prediction.Width);
                        foreach (var p in prediction.Probabilities) w.WriteNumberValue(p);
                        break;
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static ServedModel Known(ModelServer server, string name, string? version)
    {
        var model = server.Find(name) ?? throw new InputException(StatusCodes.Status404NotFound,
            $"unknown model '{name}' (served: {string.Join(", ", server.Models.Select(m => m.Name).Order(StringComparer.Ordinal))})");
        if (version is not null && version != model.Version)
            throw new InputException(StatusCodes.Status404NotFound, $"model '{name}' version '{version}' is not served (served version: {model.Version})");
        return model;
    }

    private static void Tensor(Utf8JsonWriter w, string name, string datatype, int[] shape)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("datatype", datatype);
        w.WriteStartArray("shape");
        foreach (var d in shape) w.WriteNumberValue(d);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes datatype and shape ([rows] or [rows, width]) and opens the data array.</summary>
    private static void Header(Utf8JsonWriter w, JsonEncodedText datatype, int rows, int? width = null)
    {
        w.WriteString(JsonNames.Datatype, datatype);
        w.WriteStartArray(JsonNames.Shape);
        w.WriteNumberValue(rows);
        if (width is { } columns) w.WriteNumberValue(columns);
        w.WriteEndArray();
        w.WriteStartArray(JsonNames.Data);
    }
}
