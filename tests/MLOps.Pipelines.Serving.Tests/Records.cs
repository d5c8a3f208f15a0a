using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Raw churn records for requests, taken from the golden file Export wrote (real rows of the data set).</summary>
internal static class Records
{
    public static GoldenRecords Golden(string modelDirectory) => GoldenRecords.Read(Path.Combine(modelDirectory, GoldenRecords.FileName));

    /// <summary>A complete record (no missing values) with one field changed or removed.</summary>
    public static JsonObject Complete(string modelDirectory, Action<JsonObject>? change = null)
    {
        var record = (JsonObject)Golden(modelDirectory).Records.First(r => r.All(kv => kv.Value is not null)).DeepClone();
        change?.Invoke(record);
        return record;
    }

    /// <summary>The records as an inference request: one [N, 1] tensor per field, typed as the schema declares.</summary>
    public static JsonObject Tensors(IReadOnlyList<JsonObject> records, SchemaContract schema)
    {
        var inputs = new JsonArray();
        foreach (var field in records[0].Select(kv => kv.Key))
        {
            inputs.Add(new JsonObject
            {
                ["name"] = field,
                ["datatype"] = TensorReader.Datatype(schema[field].Type),
                ["shape"] = new JsonArray(records.Count, 1),
                ["data"] = new JsonArray(records.Select(r => r[field]?.DeepClone()).ToArray()),
            });
        }

        return new JsonObject { ["id"] = "req-1", ["inputs"] = inputs };
    }
}
