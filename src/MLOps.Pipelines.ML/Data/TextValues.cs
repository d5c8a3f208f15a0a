using System.Globalization;

namespace MLOps.Pipelines.ML.Data;

/// <summary>Parses text cells (CSV fields, scoring requests) into typed values, culture-invariantly.</summary>
internal static class TextValues
{
    public static bool TryInt64(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);

    public static bool TryDouble(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value);

    public static bool TryBool(ReadOnlySpan<char> text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("1")) { value = true; return true; }
        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("0")) { value = false; return true; }
        value = false;
        return false;
    }

    public static bool TryTimestamp(ReadOnlySpan<char> text, out DateTime value)
    {
        // Wall-clock time: an offset or 'Z' is rejected rather than silently converted to this machine's zone.
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out value) && value.Kind == DateTimeKind.Unspecified)
            return true;
        value = default;
        return false;
    }

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Categorical => "categorical text",
        ColumnType.Int64 => "int64",
        ColumnType.Double => "double",
        ColumnType.Single => "float",
        ColumnType.Bool => "bool (true/false/1/0)",
        ColumnType.Timestamp => "timestamp (ISO 8601 without zone)",
        _ => type.ToString(),
    };
}
