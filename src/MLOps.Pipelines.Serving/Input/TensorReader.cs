using System.Text.Json;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// Reads an Open Inference Protocol v2 inference request: <c>{"inputs": [{"name", "shape", "datatype", "data"}]}</c>,
/// one tensor per raw schema field, the batch along the first dimension (<c>[N]</c> or <c>[N, 1]</c>); <c>data</c>
/// flat or nested in row-major order. Also returns the optional <c>id</c> and requested output names. Reads the UTF-8
/// bytes directly (no document): properties in any order, a key given twice counts once (the last, as a document
/// lookup has it), <c>parameters</c> and other keys ignored; errors are checked in the order a document reader did.
/// </summary>
internal static class TensorReader
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

    private static ReadOnlySpan<byte> Utf8Datatype(ColumnType type) => type switch
    {
        ColumnType.Categorical or ColumnType.Timestamp => "BYTES"u8,
        ColumnType.Int64 => "INT64"u8,
        ColumnType.Double => "FP64"u8,
        ColumnType.Single => "FP32"u8,
        ColumnType.Bool => "BOOL"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static Request Read(ReadOnlySpan<byte> body, SchemaContract schema, int maxRows) =>
        JsonBody.Read(body, SchemaFields.For(schema), maxRows, ReadBody);

    private static Request ReadBody(ReadOnlySpan<byte> body, SchemaFields fields, int maxRows)
    {
        var reader = JsonBody.Reader(body);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw InputException.BadRequest("the inference request must be a JSON object with an 'inputs' array");

        Array?[]? arrays = null; // set by the last 'inputs' that is an array
        var rows = 0;
        InputException? inputsError = null;
        string? id = null;
        List<string>? outputs = null;
        var outputsBad = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputs"u8))
            {
                reader.Read();
                arrays = null;
                inputsError = null;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                // Read on a copy: on a refused input the original skips the rest, so a later malformed byte or a
                // second 'inputs' still decides, as with a document parsed whole.
                var probe = reader;
                arrays = new Array?[fields.Columns.Length];
                try
                {
                    rows = ReadInputs(ref probe, body, fields, maxRows, arrays);
                    reader = probe;
                }
                catch (InputException e)
                {
                    inputsError = e;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("outputs"u8))
            {
                reader.Read();
                outputs = null;
                outputsBad = false;
                if (reader.TokenType == JsonTokenType.StartArray) outputs = ReadOutputs(ref reader, out outputsBad);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        JsonBody.End(ref reader);
        if (arrays is null && inputsError is null) throw InputException.BadRequest("the inference request has no 'inputs' array (rule: missing)");
        if (inputsError is not null) throw inputsError;
        if (rows == 0) throw InputException.BadRequest("the inference request has no rows (empty 'inputs' or zero batch size)");
        var columns = fields.Columns;
        for (var c = 0; c < columns.Length; c++)
        {
            if (arrays![c] is not null) continue;
            var column = columns[c];
            if (!column.Nullable) throw InputException.BadRequest($"input '{column.Name}' is missing ({Datatype(column.Type)} [{rows}, 1] required; rule: missing)");
            arrays[c] = FieldReader.NewColumn(column, rows); // all missing
        }

        if (outputsBad) throw InputException.BadRequest("each requested output needs a 'name'");
        return new Request(new RawBatch(new OrderedColumns(fields.Order, arrays!), rows), id, outputs);
    }

    /// <summary>Reads the 'inputs' array (the reader on its '[', left on its ']') into <paramref name="arrays"/>; returns the batch size (0: none).</summary>
    private static int ReadInputs(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, SchemaFields fields, int maxRows, Array?[] arrays)
    {
        var rows = -1;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var position = index++;
            if (reader.TokenType != JsonTokenType.StartObject) throw InputException.BadRequest($"inputs[{position}] is not a tensor object");
            var start = reader;
            if (TryReadInOrder(ref reader, body, fields, maxRows, arrays, position, ref rows)) continue;
            reader = start;
            ReadInput(ref reader, body, fields, maxRows, arrays, position, ref rows);
        }

        return Math.Max(rows, 0);
    }

    /// <summary>
    /// Reads one tensor object (the reader on its '{', left on its '}'): its keys in any order (each value is looked at
    /// from a saved reader once the object is complete, the last of a repeated key winning), then checks them in the
    /// protocol's order — name, datatype, shape, data — and reads the values into the column.
    /// </summary>
    private static void ReadInput(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, SchemaFields fields, int maxRows, Array?[] arrays, int position, ref int rows)
    {
        Utf8JsonReader name = default, datatype = default, shape = default, data = default;
        bool hasName = false, hasDatatype = false, hasShape = false, hasData = false;
        var values = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader;
                hasName = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = reader;
                hasDatatype = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                shape = reader;
                hasShape = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = reader;
                hasData = true;
                values = CountValues(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasName || name.TokenType != JsonTokenType.String) throw InputException.BadRequest($"inputs[{position}] has no 'name' (rule: missing)");
        var c = fields.IndexOf(ref name);
        if (c < 0) throw InputException.BadRequest($"input '{name.GetString()}' is not an input of this model (inputs: {fields.NameList})");
        var column = fields.Columns[c];
        if (arrays[c] is not null) throw InputException.BadRequest($"input '{column.Name}' is given twice");
        if (!hasDatatype || datatype.TokenType != JsonTokenType.String) throw InputException.BadRequest($"input '{column.Name}' has no 'datatype' (rule: missing)");
        if (!datatype.ValueTextEquals(Utf8Datatype(column.Type)))
            throw InputException.BadRequest($"input '{column.Name}': datatype {datatype.GetString()} does not match the model's {Datatype(column.Type)} (rule: type)");
        var count = ReadShape(shape, hasShape, body, column.Name);
        if (!hasData) throw InputException.BadRequest($"input '{column.Name}' has no 'data' (rule: missing)");
        if (count > maxRows) throw InputException.TooLarge($"input '{column.Name}': the batch has {count} rows, more than the limit of {maxRows}; split it");
        if (values != count)
            throw InputException.BadRequest($"input '{column.Name}': shape [{ShapeText(shape)}] holds {count} values but 'data' has {values} (rule: shape)");
        if (rows >= 0 && rows != count) throw InputException.BadRequest($"input '{column.Name}': batch size {count} differs from the other inputs' {rows} (rule: shape)");
        rows = count;
        var array = FieldReader.NewColumn(column, count);
        ReadValues(ref data, body, fields, c, array);
        arrays[c] = array;
    }

    /// <summary>
    /// The common case in one pass: a valid tensor object with exactly the keys name, datatype, shape, data in that
    /// order (what clients send). Anything else — another order or key, a repeated key, any error — returns false having
    /// changed nothing but the reader, and <see cref="ReadInput"/> reads the object again from its start, with the
    /// protocol's checks and messages.
    /// </summary>
    private static bool TryReadInOrder(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, SchemaFields fields, int maxRows, Array?[] arrays, int likely, ref int rows)
    {
        if (!NextKey(ref reader, "name"u8) || reader.TokenType != JsonTokenType.String) return false;
        var c = fields.IndexOf(ref reader, likely);
        if (c < 0 || arrays[c] is not null) return false;
        var column = fields.Columns[c];
        if (!NextKey(ref reader, "datatype"u8) || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(Utf8Datatype(column.Type))) return false;
        if (!NextKey(ref reader, "shape"u8) || reader.TokenType != JsonTokenType.StartArray) return false;
        var count = ShapeRows(ref reader);
        if (count < 0 || count > maxRows || (rows >= 0 && rows != count)) return false;
        if (!NextKey(ref reader, "data"u8) || reader.TokenType != JsonTokenType.StartArray) return false;
        var array = FieldReader.NewColumn(column, count);
        var depth = reader.CurrentDepth;
        var i = 0;
        try
        {
            while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
            {
                if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray) continue;
                if (i == count || reader.TokenType == JsonTokenType.StartObject) return false;
                FieldReader.Read(fields, c, ref reader, body, array, i, Location.Element(column.Name, i));
                i++;
            }
        }
        catch (InputException)
        {
            return false;
        }

        if (i != count || !reader.Read() || reader.TokenType != JsonTokenType.EndObject) return false;
        rows = count;
        arrays[c] = array;
        return true;
    }

    /// <summary>Reads the next property name and moves to its value: false when the next token is not that property.</summary>
    private static bool NextKey(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(name) && reader.Read();

    /// <summary>The batch size a shape gives (its first dimension), or the shape error; the reader, a copy, is on the shape value.</summary>
    private static int ReadShape(Utf8JsonReader shape, bool hasShape, ReadOnlySpan<byte> body, string input)
    {
        if (!hasShape || shape.TokenType != JsonTokenType.StartArray) throw InputException.BadRequest($"input '{input}' has no 'shape' array (rule: missing)");
        var start = shape;
        var rows = ShapeRows(ref shape);
        if (rows >= 0) return rows;
        if (shape.TokenType != JsonTokenType.EndArray)
            throw InputException.BadRequest($"input '{input}': shape holds {FieldReader.RawText(ref shape, body)}, not a non-negative integer (rule: shape)");
        throw InputException.BadRequest($"input '{input}': shape [{ShapeText(start)}] is not [N] or [N, 1]: one value per row (rule: shape)");
    }

    /// <summary>
    /// The shape rule, for both readers: steps over a shape array (the reader on its '[') and returns the batch size when
    /// it is [N] or [N, 1] of non-negative integers, the reader left on its ']'; else -1, the reader on the first element
    /// that is not such an integer, or on the ']' when the dimensions are wrong.
    /// </summary>
    private static int ShapeRows(ref Utf8JsonReader shape)
    {
        int dims = 0, first = 0, second = 0;
        while (shape.Read() && shape.TokenType != JsonTokenType.EndArray)
        {
            if (shape.TokenType != JsonTokenType.Number || !shape.TryGetInt32(out var d) || d < 0) return -1;
            if (dims == 0) first = d;
            else if (dims == 1) second = d;
            dims++;
        }

        return dims is 0 or > 2 || (dims == 2 && second != 1) ? -1 : first;
    }

    /// <summary>"3, 1": a valid shape's dimensions for messages (the reader, a copy, on the shape's '[').</summary>
    private static string ShapeText(Utf8JsonReader shape)
    {
        var dims = new List<int>();
        while (shape.Read() && shape.TokenType != JsonTokenType.EndArray) dims.Add(shape.GetInt32());
        return string.Join(", ", dims);
    }

    /// <summary>The number of values in 'data', nested arrays flattened (the reader moves to the value's end).</summary>
    private static int CountValues(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return 1;
        }

        var depth = reader.CurrentDepth;
        var count = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    continue;
                case JsonTokenType.EndArray:
                    if (reader.CurrentDepth == depth) return count;
                    continue;
                case JsonTokenType.StartObject:
                    reader.Skip();
                    count++;
                    continue;
                default:
                    count++;
                    continue;
            }
        }

        return count;
    }

    /// <summary>Reads the values of 'data' (flattened, row-major) into the column; the reader is a copy on the data value.</summary>
    private static void ReadValues(ref Utf8JsonReader data, ReadOnlySpan<byte> body, SchemaFields fields, int column, Array array)
    {
        var input = fields.Columns[column].Name;
        if (data.TokenType != JsonTokenType.StartArray)
        {
            FieldReader.Read(fields, column, ref data, body, array, 0, Location.Element(input, 0));
            return;
        }

        var depth = data.CurrentDepth;
        var i = 0;
        while (data.Read() && !(data.TokenType == JsonTokenType.EndArray && data.CurrentDepth == depth))
        {
            if (data.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray) continue;
            FieldReader.Read(fields, column, ref data, body, array, i, Location.Element(input, i));
            i++;
        }
    }

    /// <summary>The requested output names (the reader on the array's '[', left on its ']'); <paramref name="bad"/> when one has no string 'name'.</summary>
    private static List<string> ReadOutputs(ref Utf8JsonReader reader, out bool bad)
    {
        var outputs = new List<string>();
        bad = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                bad = true;
                reader.Skip();
                continue;
            }

            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                reader.Read();
                if (isName) name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }

            if (name is null) bad = true;
            else outputs.Add(name);
        }

        return outputs;
    }
}
