using System.Globalization;
using System.Text;

namespace MLOps.Pipelines.ML.Data;

/// <summary>
/// Writes the rows that broke the contract as CSV, one line per broken rule:
/// <c>row,line,column,rule,value,message</c> (row: 1-based data row; line: CSV line, empty for Parquet).
/// </summary>
internal sealed class QuarantineWriter : IDisposable
{
    public const string Header = "row,line,column,rule,value,message";
    private readonly StreamWriter writer;

    public QuarantineWriter(string path)
    {
        writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        writer.WriteLine(Header);
    }

    public void Write(long row, long? line, ContractViolation violation)
    {
        writer.Write(row.ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        if (line is { } l) writer.Write(l.ToString(CultureInfo.InvariantCulture));
        writer.Write(',');
        writer.Write(Escape(violation.Column));
        writer.Write(',');
        writer.Write(violation.Rule);
        writer.Write(',');
        writer.Write(Escape(violation.Value ?? ""));
        writer.Write(',');
        writer.WriteLine(Escape(violation.Message));
    }

    public void Dispose() => writer.Dispose();

    /// <summary>
    /// CSV quoting, and formula neutralising: a spreadsheet runs a cell that starts with = + - @ (or tab / CR, which some
    /// strip first) as a formula, so such a value from the raw data gets a leading apostrophe (OWASP's advice).
    /// </summary>
    internal static string Escape(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
