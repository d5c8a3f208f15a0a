using System.Globalization;
using System.Text;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// Reads one JSON value into a typed raw column as its contract declares, or throws <see cref="InputException"/>
/// naming the field and the rule broken: missing (null where not nullable), type, NaN, range. A category the contract
/// does not declare is not refused here: it is scored as training treats it and counted. Messages are built only when
/// a value fails.
/// </summary>
internal static class FieldReader
{
    /// <summary>An all-missing column of <paramref name="rows"/>, typed as <see cref="RawFeatureRows.ArrayType"/> says (no reflection: once per column per request).</summary>
    public static Array NewColumn(ColumnContract column, int rows) => column.Type switch
    {
        ColumnType.Categorical => new string?[rows],
        ColumnType.Int64 => new long?[rows],
        ColumnType.Double => new double?[rows],
        ColumnType.Single => new float?[rows],
        ColumnType.Bool => new bool?[rows],
        ColumnType.Timestamp => new DateTime?[rows],
        _ => Array.CreateInstance(RawFeatureRows.ArrayType(column.Type).GetElementType()!, rows),
    };

    /// <summary>Reads the value the reader is on (a container is not read past: the request fails).</summary>
    /// <param name="body">The whole request the reader reads, for quoting a bad value as sent.</param>
    public static void Read(SchemaFields fields, int columnIndex, ref Utf8JsonReader reader, ReadOnlySpan<byte> body, Array target, int row, Location where)
    {
        var column = fields.Columns[columnIndex];
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            if (!column.Nullable) throw Fail(where, column, "is null, but the field is not nullable (rule: missing)");
            return; // arrays start as null
        }

        switch (column.Type)
        {
            case ColumnType.Categorical:
                if (token != JsonTokenType.String) throw WrongType(where, column, ref reader, body, "a string");
                ((string?[])target)[row] = fields.KnownCategory(columnIndex, ref reader) ?? reader.GetString();
                break;
            case ColumnType.Int64:
                if (token != JsonTokenType.Number) throw NotANumber(where, column, ref reader, body, "an integer");
                if (!reader.TryGetInt64(out var l)) throw Fail(where, column, $"is {RawText(ref reader, body)}, not an int64 integer (rule: type)");
                CheckRange(column, l, where);
                ((long?[])target)[row] = l;
                break;
            case ColumnType.Double:
            case ColumnType.Single:
                if (token != JsonTokenType.Number) throw NotANumber(where, column, ref reader, body, "a number");
                var d = reader.GetDouble();
                if (!double.IsFinite(d)) throw Fail(where, column, $"is {RawText(ref reader, body)}, out of the {column.Type} range (rule: type)");
                CheckRange(column, d, where);
                if (column.Type == ColumnType.Double) ((double?[])target)[row] = d; else ((float?[])target)[row] = (float)d;
                break;
            case ColumnType.Bool:
                ((bool?[])target)[row] = token switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw WrongType(where, column, ref reader, body, "true or false"),
                };
                break;
            case ColumnType.Timestamp:
                if (token != JsonTokenType.String) throw WrongType(where, column, ref reader, body, "an ISO 8601 timestamp string without zone");
                var text = reader.GetString()!;
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) || t.Kind != DateTimeKind.Unspecified)
                    throw Fail(where, column, $"is '{text}', not an ISO 8601 timestamp without zone such as 2001-05-01T14:30:00 (rule: type)");
                if ((column.Earliest is { } earliest && t < earliest) || (column.Latest is { } latest && t > latest))
                    throw Fail(where, column, $"is {text}, outside [{column.Earliest:O}, {column.Latest:O}] (rule: range)");
                ((DateTime?[])target)[row] = t;
                break;
        }
    }

    public static InputException Missing(Location where, ColumnContract column) =>
        InputException.BadRequest($"{where}: field '{column.Name}' is missing ({Describe(column)} required; rule: missing)");

    public static string Describe(ColumnContract column) => column.Type switch
    {
        ColumnType.Categorical => "a string",
        ColumnType.Int64 => "an integer",
        ColumnType.Double or ColumnType.Single => "a number",
        ColumnType.Bool => "true or false",
        ColumnType.Timestamp => "an ISO 8601 timestamp string",
        _ => column.Type.ToString(),
    };

    /// <summary>The value the reader is on as sent (what <see cref="JsonElement.GetRawText"/> gives); a container is read to its end.</summary>
    public static string RawText(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return Encoding.UTF8.GetString(body[start..checked((int)reader.BytesConsumed)]);
    }

    /// <summary>"a string", "an array", ...: the kind of JSON value a token starts, for messages.</summary>
    public static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Null => "Null",
        _ => token.ToString(),
    };

    private static void CheckRange(ColumnContract column, double value, Location where)
    {
        if (column.Min is { } min && value < min) throw Fail(where, column, $"is {Format(value)}, below the minimum {Format(min)} (rule: range)");
        if (column.Max is { } max && value > max) throw Fail(where, column, $"is {Format(value)}, above the maximum {Format(max)} (rule: range)");
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static InputException NotANumber(Location where, ColumnContract column, ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string expected)
    {
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is "NaN" or "Infinity" or "-Infinity" or "inf" or "-inf" or "nan")
            return Fail(where, column, $"is {RawText(ref reader, body)}: NaN and infinities are not accepted, send null for a missing value (rule: NaN)");
        return WrongType(where, column, ref reader, body, expected);
    }

    private static InputException WrongType(Location where, ColumnContract column, ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string expected)
    {
        var kind = Kind(reader.TokenType);
        return Fail(where, column, $"is {kind} {Shorten(RawText(ref reader, body))}, expected {expected} (rule: type)");
    }

    private static InputException Fail(Location where, ColumnContract column, string what) =>
        InputException.BadRequest($"{where}: field '{column.Name}' {what}");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
