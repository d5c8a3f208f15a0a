using System.Runtime.InteropServices;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// Reads <c>POST /predict</c> bodies: one record (a JSON object keyed by the schema's field names) or a JSON array of
/// them, straight from the UTF-8 bytes (no document). The label field is ignored when present; any other unknown field
/// is refused (a misspelt field would otherwise be scored as missing). A field given twice in a record: each value is
/// checked and the last kept.
/// </summary>
internal static class RecordsReader
{
    public static RawBatch Read(ReadOnlySpan<byte> body, SchemaContract schema, int maxRows) =>
        JsonBody.Read(body, SchemaFields.For(schema), maxRows, ReadBody);

    /// <summary>The same reading for records already parsed (golden records): one code path with request bodies.</summary>
    public static RawBatch Read(JsonElement root, SchemaContract schema, int maxRows) => Read(JsonMarshal.GetRawUtf8Value(root), schema, maxRows);

    /// <summary>"object", "array", "string", "number", "true", "false", "null": a JSON value's kind, for messages.</summary>
    public static string KindName(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => token.ToString().ToLowerInvariant(),
    };

    private static RawBatch ReadBody(ReadOnlySpan<byte> body, SchemaFields fields, int maxRows)
    {
        var reader = JsonBody.Reader(body);
        reader.Read();
        var single = reader.TokenType == JsonTokenType.StartObject;
        int count;
        if (single) count = 1;
        else if (reader.TokenType == JsonTokenType.StartArray) count = CountElements(reader);
        else throw InputException.BadRequest($"the body is a JSON {KindName(reader.TokenType)}; send one record as a JSON object or a batch as an array of objects");
        if (count == 0) throw InputException.BadRequest("the batch is an empty array; send at least one record");
        if (count > maxRows) throw InputException.TooLarge($"the batch has {count} records, more than the limit of {maxRows}; split it");

        var columns = fields.Columns;
        var arrays = new Array[columns.Length];
        for (var c = 0; c < columns.Length; c++) arrays[c] = FieldReader.NewColumn(columns[c], count);
        Span<bool> seen = columns.Length <= 256 ? stackalloc bool[columns.Length] : new bool[columns.Length];
        for (var i = 0; i < count; i++)
        {
            if (!single)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                    throw InputException.BadRequest($"record {i} is a JSON {KindName(reader.TokenType)}, not an object keyed by field names");
            }

            ReadRecord(ref reader, body, fields, arrays, seen, i, Location.Record(i, single));
        }

        if (!single) reader.Read(); // the batch's ']'
        JsonBody.End(ref reader);
        return new RawBatch(new OrderedColumns(fields.Order, arrays), count);
    }

    /// <summary>Reads one record from its '{' to its '}' into row <paramref name="row"/>, in the record's own property order.</summary>
    private static void ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, SchemaFields fields, Array[] arrays, scoped Span<bool> seen, int row, Location where)
    {
        seen.Clear();
        var likely = 0; // the column after the last one read: clients send fields in schema order
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = fields.IndexOf(ref reader, likely);
            if (column < 0)
            {
                if (!fields.IsLabel(ref reader))
                    throw InputException.BadRequest($"{where}: unknown field '{reader.GetString()}' (the schema '{fields.Schema.Name}' has: {fields.NameList})");
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            FieldReader.Read(fields, column, ref reader, body, arrays[column], row, where);
            seen[column] = true;
            likely = column + 1;
        }

        for (var c = 0; c < seen.Length; c++)
            if (!seen[c] && !fields.Columns[c].Nullable) throw FieldReader.Missing(where, fields.Columns[c]);
    }

    /// <summary>The number of values in the array the reader (a copy: it is not moved) is on.</summary>
    private static int CountElements(Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }
}
