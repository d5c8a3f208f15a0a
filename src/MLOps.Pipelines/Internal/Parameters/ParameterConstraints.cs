using System.Globalization;

namespace MLOps.Pipelines.Internal.Parameters;

/// <summary>
/// What a parameter's value must satisfy beyond its type: finite numbers, a declared range, an existing path. Pure
/// but for the existence check; <see cref="Violation"/> says, in words, what is wrong and what is allowed.
/// </summary>
internal sealed record ParameterConstraints(double Min, double Max, bool ExclusiveMin, bool ExclusiveMax, bool AllowNonFinite, bool MustExist)
{
    public static ParameterConstraints From(ParameterAttribute attribute) =>
        new(attribute.Min, attribute.Max, attribute.ExclusiveMin, attribute.ExclusiveMax, attribute.AllowNonFinite, attribute.MustExist);

    public bool HasRange => !double.IsNaN(Min) || !double.IsNaN(Max);

    /// <summary>"in [0, 1]", "in (0, 1)", "≥ 1", "> 0"; empty without a range.</summary>
    public string DescribeRange()
    {
        var hasMin = !double.IsNaN(Min);
        var hasMax = !double.IsNaN(Max);
        if (hasMin && hasMax) return $"in {(ExclusiveMin ? '(' : '[')}{Text(Min)}, {Text(Max)}{(ExclusiveMax ? ')' : ']')}";
        if (hasMin) return $"{(ExclusiveMin ? ">" : "≥")} {Text(Min)}";
        if (hasMax) return $"{(ExclusiveMax ? "<" : "≤")} {Text(Max)}";
        return "";
    }

    /// <summary>Null when the value is allowed; else why not ("is not a finite number", "is outside the allowed range in [0, 1]", "does not exist").</summary>
    public string? Violation(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case Array array:
                return array.Cast<object?>().Select(Violation).FirstOrDefault(v => v is not null);
            case AbsolutePath path:
                return MustExist && !path.Exists() ? "does not exist" : null;
            case double or float when !AllowNonFinite && !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                return "is not a finite number" + (HasRange ? $"; expected a number {DescribeRange()}" : "; expected a finite number");
        }
        if (!HasRange || !IsNumber(value)) return null;
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (double.IsNaN(number)) return null; // allowed explicitly (AllowNonFinite)
        var belowMin = !double.IsNaN(Min) && (ExclusiveMin ? number <= Min : number < Min);
        var aboveMax = !double.IsNaN(Max) && (ExclusiveMax ? number >= Max : number > Max);
        return belowMin || aboveMax ? $"is out of range; expected a number {DescribeRange()}" : null;
    }

    static bool IsNumber(object value) => value is double or float or decimal or int or long or short or byte or uint or ulong or ushort or sbyte;

    static string Text(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
