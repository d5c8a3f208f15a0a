using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// <c>POST /predict</c> (the only model, when one is served) and <c>POST /predict/{name}</c>: one record or an array of
/// records keyed by the schema's fields; per record the label, its probability and the model version (multiclass: also
/// every class's probability).
/// </summary>
internal static class PredictEndpoint
{
    public static void Map(WebApplication app, ModelServer server)
    {
        app.MapPost("/predict", (HttpContext c) => PredictAsync(c, server, server.Models.Count == 1
            ? server.Models.First().Name
            : throw InputException.BadRequest($"this server serves {server.Models.Count} models; name one: /predict/{{name}} with name one of {string.Join(", ", server.Models.Select(m => m.Name).Order(StringComparer.Ordinal))}")));
        app.MapPost("/predict/{name}", (HttpContext c, string name) => PredictAsync(c, server, name));
    }

    private static async Task PredictAsync(HttpContext context, ModelServer server, string name)
    {
        var model = server.ReadyModel(name);
        var batch = await RequestBody.ReadAsync(context, server.Options.MaxRequestBodyBytes, model.Pipeline.Schema, server.Options.MaxBatchRows, RecordsReader.Read);
        var prediction = await model.PredictAsync(batch);
        await JsonResponse.WriteAsync(context, 200, (Model: JsonNames.Of(model), Prediction: prediction), static (w, s) =>
        {
            var (model, prediction) = s;
            w.WriteStartObject();
            w.WriteString(JsonNames.Model, model.Name);
            w.WriteString(JsonNames.ModelVersion, model.Version);
            w.WriteStartArray(JsonNames.Predictions);
            for (var i = 0; i < prediction.Rows; i++)
            {
                w.WriteStartObject();
                if (prediction.IsBinary) w.WriteBoolean(JsonNames.Label, prediction.BinaryLabel(i));
                else w.WriteString(JsonNames.Label, prediction.ClassLabel(i));
                w.WriteNumber(JsonNames.Probability, prediction.LabelProbability(i));
                if (!prediction.IsBinary)
                {
                    w.WriteStartObject(JsonNames.Probabilities);
                    var row = prediction.Row(i);
                    for (var k = 0; k < row.Length; k++) w.WriteNumber(prediction.Classes![k], row[k]);
                    w.WriteEndObject();
                }

                w.WriteString(JsonNames.ModelVersion, model.Version);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
