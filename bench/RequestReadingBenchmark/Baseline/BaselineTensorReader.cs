using MLOps.Pipelines.Serving.Input;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;

namespace RequestReadingBenchmark.Baseline;

/// <summary>
/// Reads an Open Inference Protocol v2 inference request: <c>{"inputs": [{"name", "shape", "datatype", "data"}]}</c>,
/// one tensor per raw schema field, the batch along the first dimension (<c>[N]</c> or <c>[N, 1]</c>); <c>data</c>
/// flat or nested in row-major order. Also returns the optional <c>id</c> and requested output names.
/// </summary>
internal static class BaselineTensorReader
{
    public sealed record Request(RawBatch Batch, string? Id, IReadOnlyList<string>? Outputs);

    /// <summary>The protocol's datatype for a raw column (timestamps travel as ISO 8601 strings, i.e. BYTES).</summary>
    public static string Datatype(ColumnType type) => type switch
    {
        ColumnType.Categorical or ColumnType.Timestamp => "BYTES",
        ColumnType.Int64 => "INT64",
        ColumnType.Double => "FP64",
        ColumnType.Single => "FP32",
        ColumnType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static Request Read(JsonElement root, SchemaContract schema, int maxRows)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw InputException.BadRequest("the inference request must be a JSON object with an 'inputs' array");
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
            throw InputException.BadRequest("the inference request has no 'inputs' array (rule: missing)");

        var columns = schema.Columns.Where(c => c.Name != schema.Label).ToList();
        var arrays = new Dictionary<string, Array>(StringComparer.Ordinal);
        int? rows = null;
        var index = 0;
        foreach (var input in inputs.EnumerateArray())
        {
            var where = $"inputs[{index++}]";
            if (input.ValueKind != JsonValueKind.Object) throw InputException.BadRequest($"{where} is not a tensor object");
            var name = input.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw InputException.BadRequest($"{where} has no 'name' (rule: missing)");
            where = $"input '{name}'";
            var column = columns.Find(c => c.Name == name) ?? throw InputException.BadRequest(
                $"{where} is not an input of this model (inputs: {string.Join(", ", columns.Select(c => c.Name))})");
            if (arrays.ContainsKey(name)) throw InputException.BadRequest($"{where} is given twice");
            var expected = Datatype(column.Type);
            var datatype = input.TryGetProperty("datatype", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : throw InputException.BadRequest($"{where} has no 'datatype' (rule: missing)");
            if (datatype != expected) throw InputException.BadRequest($"{where}: datatype {datatype} does not match the model's {expected} (rule: type)");
            var shape = ReadShape(input, where);
            if (!input.TryGetProperty("data", out var data)) throw InputException.BadRequest($"{where} has no 'data' (rule: missing)");
            var values = new List<JsonElement>();
            Flatten(data, values);
            var count = shape[0];
            if (count > maxRows) throw InputException.TooLarge($"{where}: the batch has {count} rows, more than the limit of {maxRows}; split it");
            if (values.Count != count) throw InputException.BadRequest($"{where}: shape [{string.Join(", ", shape)}] holds {count} values but 'data' has {values.Count} (rule: shape)");
            if (rows is { } r && r != count) throw InputException.BadRequest($"{where}: batch size {count} differs from the other inputs' {r} (rule: shape)");
            rows = count;
            var array = BaselineFieldReader.NewColumn(column, count);
            for (var i = 0; i < count; i++) BaselineFieldReader.Read(column, values[i], array, i, $"{where} element {i}");
            arrays[name] = array;
        }

        if (rows is null or 0) throw InputException.BadRequest("the inference request has no rows (empty 'inputs' or zero batch size)");
        foreach (var column in columns)
        {
            if (arrays.ContainsKey(column.Name)) continue;
            if (!column.Nullable) throw InputException.BadRequest($"input '{column.Name}' is missing ({BaselineTensorReader.Datatype(column.Type)} [{rows}, 1] required; rule: missing)");
            arrays[column.Name] = BaselineFieldReader.NewColumn(column, rows.Value); // all missing
        }

        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        List<string>? outputs = null;
        if (root.TryGetProperty("outputs", out var requested) && requested.ValueKind == JsonValueKind.Array)
        {
            outputs = [];
            foreach (var o in requested.EnumerateArray())
                outputs.Add(o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var on) && on.ValueKind == JsonValueKind.String
                    ? on.GetString()! : throw InputException.BadRequest("each requested output needs a 'name'"));
        }

        return new Request(new RawBatch(arrays, rows.Value), id, outputs);
    }

    private static int[] ReadShape(JsonElement input, string where)
    {
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
            throw InputException.BadRequest($"{where} has no 'shape' array (rule: missing)");
        var dims = new List<int>();
        foreach (var d in shape.EnumerateArray())
            dims.Add(d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var v) && v >= 0 ? v : throw InputException.BadRequest($"{where}: shape holds {d.GetRawText()}, not a non-negative integer (rule: shape)"));
        if (dims.Count is 0 or > 2 || (dims.Count == 2 && dims[1] != 1))
            throw InputException.BadRequest($"{where}: shape [{string.Join(", ", dims)}] is not [N] or [N, 1]: one value per row (rule: shape)");
        return [.. dims];
    }

    private static void Flatten(JsonElement data, List<JsonElement> into)
    {
        if (data.ValueKind != JsonValueKind.Array) { into.Add(data); return; }
        foreach (var item in data.EnumerateArray()) Flatten(item, into);
    }
}
