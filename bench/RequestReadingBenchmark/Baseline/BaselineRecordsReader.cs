using MLOps.Pipelines.Serving.Input;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;

namespace RequestReadingBenchmark.Baseline;

/// <summary>
/// Reads <c>POST /predict</c> bodies: one record (a JSON object keyed by the schema's field names) or a JSON array of
/// them. The label field is ignored when present; any other unknown field is refused (a misspelt field would otherwise
/// be scored as missing).
/// </summary>
internal static class BaselineRecordsReader
{
    public static RawBatch Read(JsonElement root, SchemaContract schema, int maxRows)
    {
        var records = root.ValueKind switch
        {
            JsonValueKind.Object => [root],
            JsonValueKind.Array => root.EnumerateArray().ToList(),
            _ => throw InputException.BadRequest($"the body is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; send one record as a JSON object or a batch as an array of objects"),
        };
        if (records.Count == 0) throw InputException.BadRequest("the batch is an empty array; send at least one record");
        if (records.Count > maxRows) throw InputException.TooLarge($"the batch has {records.Count} records, more than the limit of {maxRows}; split it");

        var columns = schema.Columns.Where(c => c.Name != schema.Label).ToList();
        var arrays = columns.ToDictionary(c => c.Name, c => BaselineFieldReader.NewColumn(c, records.Count), StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var where = records.Count == 1 && root.ValueKind == JsonValueKind.Object ? "the record" : $"record {i}";
            if (record.ValueKind != JsonValueKind.Object)
                throw InputException.BadRequest($"{where} is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object keyed by field names");
            var seen = 0;
            foreach (var property in record.EnumerateObject())
            {
                var column = columns.Find(c => c.Name == property.Name);
                if (column is null)
                {
                    if (property.Name == schema.Label) continue;
                    throw InputException.BadRequest($"{where}: unknown field '{property.Name}' (the schema '{schema.Name}' has: {string.Join(", ", columns.Select(c => c.Name))})");
                }

                BaselineFieldReader.Read(column, property.Value, arrays[column.Name], i, where);
                seen++;
            }

            if (seen < columns.Count)
            {
                foreach (var column in columns)
                    if (!record.TryGetProperty(column.Name, out _) && !column.Nullable) throw BaselineFieldReader.Missing(where, column);
            }
        }

        return new RawBatch(arrays.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), records.Count);
    }
}
