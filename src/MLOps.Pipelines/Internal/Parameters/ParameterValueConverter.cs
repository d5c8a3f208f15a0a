using System.ComponentModel;
using System.Globalization;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>Turns the text a parameter was given as into the member's type (pure, invariant culture).</summary>
internal sealed class ParameterValueConverter(AbsolutePath root)
{
    /// <summary>Converts one or more tokens; arrays take every token (or comma-separated parts), scalars exactly one.</summary>
    public bool TryConvert(IReadOnlyList<string> tokens, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var parts = tokens.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var array = Array.CreateInstance(elementType, parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                if (!TryConvertScalar(parts[i], elementType, out var element)) return false;
                array.SetValue(element, i);
            }
            value = array;
            return true;
        }
        if (tokens.Count == 0)
        {
            // A bare flag: only booleans may omit their value.
            if ((underlying ?? type) != typeof(bool)) return false;
            value = true;
            return true;
        }
        return tokens.Count == 1 && TryConvertScalar(tokens[0], underlying ?? type, out value);
    }

    bool TryConvertScalar(string text, Type type, out object? value)
    {
        value = null;
        try
        {
            if (type == typeof(string)) value = text;
            else if (type == typeof(AbsolutePath)) value = Path.IsPathFullyQualified(text) ? AbsolutePath.Create(text) : root / text;
            else if (type == typeof(bool))
            {
                if (!bool.TryParse(text, out var b))
                {
                    if (text is "1" or "yes" or "on") b = true;
                    else if (text is "0" or "no" or "off") b = false;
                    else return false;
                }
                value = b;
            }
            else if (type.IsEnum)
            {
                if (!Enum.TryParse(type, text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var e) || !Enum.IsDefined(type, e!))
                    return false;
                value = e;
            }
            else
            {
                var converter = TypeDescriptor.GetConverter(type);
                if (!converter.CanConvertFrom(typeof(string))) return false;
                value = converter.ConvertFromString(null, CultureInfo.InvariantCulture, text);
            }
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>What a value of the type looks like, for error messages and <c>--help</c>.</summary>
    public static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray) return $"a list of {Describe(underlying.GetElementType()!)} (space- or comma-separated)";
        if (underlying.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(underlying));
        return underlying switch
        {
            _ when underlying == typeof(bool) => "true or false",
            _ when underlying == typeof(int) || underlying == typeof(long) || underlying == typeof(short) || underlying == typeof(byte) => "an integer",
            _ when underlying == typeof(double) || underlying == typeof(float) || underlying == typeof(decimal) => "a number",
            _ when underlying == typeof(AbsolutePath) => "a path (absolute, or relative to the root)",
            _ when underlying == typeof(string) => "a string",
            _ => $"a {underlying.Name}",
        };
    }

    /// <summary>A short type name for <c>--help</c>.</summary>
    public static string ShortName(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsArray) return ShortName(underlying.GetElementType()!) + "[]";
        return underlying switch
        {
            _ when underlying == typeof(string) => "string",
            _ when underlying == typeof(bool) => "bool",
            _ when underlying == typeof(int) => "int",
            _ when underlying == typeof(long) => "long",
            _ when underlying == typeof(double) => "double",
            _ when underlying == typeof(float) => "float",
            _ when underlying == typeof(decimal) => "decimal",
            _ when underlying == typeof(AbsolutePath) => "path",
            _ => underlying.Name,
        };
    }

    /// <summary>Renders a value the way it would be typed (used for defaults, the lock file and explain output).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        Array array => string.Join(",", array.Cast<object?>().Select(Format)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
