using MLOps.Pipelines.Serving.Input;
using System.Globalization;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace RequestReadingBenchmark.Baseline;

/// <summary>
/// Reads one JSON value into a typed raw column as its contract declares, or throws <see cref="InputException"/>
/// naming the field and the rule broken: missing (null where not nullable), type, NaN, range. A category the contract
/// does not declare is not refused here: it is scored as training treats it and counted.
/// </summary>
internal static class BaselineFieldReader
{
    public static Array NewColumn(ColumnContract column, int rows) => Array.CreateInstance(RawFeatureRows.ArrayType(column.Type).GetElementType()!, rows);

    /// <param name="where">Where the value sits, for the message ("record 3", "input 'tenure' element 7").</param>
    public static void Read(ColumnContract column, JsonElement value, Array target, int row, string where)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!column.Nullable) throw Fail(where, column, "is null, but the field is not nullable (rule: missing)");
            return; // arrays start as null
        }

        switch (column.Type)
        {
            case ColumnType.Categorical:
                ((string?[])target)[row] = value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(where, column, value, "a string");
                break;
            case ColumnType.Int64:
                if (value.ValueKind != JsonValueKind.Number) throw NotANumber(where, column, value, "an integer");
                if (!value.TryGetInt64(out var l)) throw Fail(where, column, $"is {value.GetRawText()}, not an int64 integer (rule: type)");
                CheckRange(column, l, where);
                ((long?[])target)[row] = l;
                break;
            case ColumnType.Double:
            case ColumnType.Single:
                if (value.ValueKind != JsonValueKind.Number) throw NotANumber(where, column, value, "a number");
                var d = value.GetDouble();
                if (!double.IsFinite(d)) throw Fail(where, column, $"is {value.GetRawText()}, out of the {column.Type} range (rule: type)");
                CheckRange(column, d, where);
                if (column.Type == ColumnType.Double) ((double?[])target)[row] = d; else ((float?[])target)[row] = (float)d;
                break;
            case ColumnType.Bool:
                ((bool?[])target)[row] = value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw WrongType(where, column, value, "true or false"),
                };
                break;
            case ColumnType.Timestamp:
                if (value.ValueKind != JsonValueKind.String) throw WrongType(where, column, value, "an ISO 8601 timestamp string without zone");
                var text = value.GetString()!;
                if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) || t.Kind != DateTimeKind.Unspecified)
                    throw Fail(where, column, $"is '{text}', not an ISO 8601 timestamp without zone such as 2001-05-01T14:30:00 (rule: type)");
                if ((column.Earliest is { } earliest && t < earliest) || (column.Latest is { } latest && t > latest))
                    throw Fail(where, column, $"is {text}, outside [{column.Earliest:O}, {column.Latest:O}] (rule: range)");
                ((DateTime?[])target)[row] = t;
                break;
        }
    }

    public static InputException Missing(string where, ColumnContract column) =>
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

    private static void CheckRange(ColumnContract column, double value, string where)
    {
        var v = value.ToString("R", CultureInfo.InvariantCulture);
        if (column.Min is { } min && value < min) throw Fail(where, column, $"is {v}, below the minimum {min.ToString("R", CultureInfo.InvariantCulture)} (rule: range)");
        if (column.Max is { } max && value > max) throw Fail(where, column, $"is {v}, above the maximum {max.ToString("R", CultureInfo.InvariantCulture)} (rule: range)");
    }

    private static InputException NotANumber(string where, ColumnContract column, JsonElement value, string expected)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity" or "inf" or "-inf" or "nan")
            return Fail(where, column, $"is {value.GetRawText()}: NaN and infinities are not accepted, send null for a missing value (rule: NaN)");
        return WrongType(where, column, value, expected);
    }

    private static InputException WrongType(string where, ColumnContract column, JsonElement value, string expected) =>
        Fail(where, column, $"is {Kind(value)} {Shorten(value.GetRawText())}, expected {expected} (rule: type)");

    private static InputException Fail(string where, ColumnContract column, string what) =>
        InputException.BadRequest($"{where}: field '{column.Name}' {what}");

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString(),
    };

    private static string Kind(JsonElement value) => Kind(value.ValueKind);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
