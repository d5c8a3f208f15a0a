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

    /// <summary>The first <paramref name="most"/> rows of an ingested data.parquet as raw columns typed as the contract declares (missing values kept).</summary>
    public static RawBatch Ingested(SchemaContract schema, string ingestedParquet, int most = int.MaxValue)
    {
        var frame = ParquetTable.ReadDataFrame(ingestedParquet);
        var n = (int)Math.Min(frame.Rows.Count, most);
        var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
        foreach (var column in schema.Columns.Where(c => c.Name != schema.Label))
        {
            var source = frame.Columns[column.Name];
            columns[column.Name] = column.Type switch
            {
                ColumnType.Int64 => Enumerable.Range(0, n).Select(i => source[i] is null ? null : (long?)Convert.ToInt64(source[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                ColumnType.Double => Enumerable.Range(0, n).Select(i => source[i] is null ? null : (double?)Convert.ToDouble(source[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                _ => Enumerable.Range(0, n).Select(i => source[i]?.ToString()).ToArray(),
            };
        }

        return new RawBatch(columns, n);
    }
}
