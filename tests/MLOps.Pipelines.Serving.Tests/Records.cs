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

    /// <summary>
    /// Every golden record with each categorical field unseen in training, and with every nullable field missing, read
    /// as a /predict body is: the rows a scoring path must treat exactly as training does.
    /// </summary>
    public static RawBatch UnseenAndMissingVariants(string modelDirectory, SchemaContract schema)
    {
        var variants = new JsonArray();
        foreach (var record in Golden(modelDirectory).Records)
        {
            foreach (var column in schema.Columns.Where(c => c.Type == ColumnType.Categorical && c.Name != schema.Label))
            {
                var unseen = (JsonObject)record.DeepClone();
                unseen[column.Name] = "never seen in training";
                variants.Add(unseen);
            }

            var missing = (JsonObject)record.DeepClone();
            foreach (var column in schema.Columns.Where(c => c.Nullable && c.Name != schema.Label)) missing[column.Name] = null;
            variants.Add(missing);
        }

        return RecordsReader.Read(System.Text.Encoding.UTF8.GetBytes(variants.ToJsonString()), schema, int.MaxValue);
    }
}
