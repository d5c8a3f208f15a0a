using System.Text.Json;

namespace MLOps.Pipelines.Serving.Input;

/// <summary>
/// The rules every JSON request body shares: malformed JSON anywhere is the error reported (400 naming line and byte),
/// before any error about what the JSON says, as when the whole body was parsed into a document first.
/// </summary>
internal static class JsonBody
{
    /// <summary>A reader over a whole body (JSON as RFC 8259 has it: no comments, no trailing commas, depth ≤ 64).</summary>
    public static Utf8JsonReader Reader(ReadOnlySpan<byte> body) => new(body, isFinalBlock: true, state: default);

    /// <summary>
    /// Runs <paramref name="read"/> on the body; a JSON syntax error becomes the malformed-JSON 400, and an error about
    /// the content is thrown only once the rest of the body has been checked to be well-formed.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> body, SchemaFields fields, int maxRows, BodyReader<T> read)
    {
        try
        {
            return read(body, fields, maxRows);
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
        catch (InputException)
        {
            ThrowIfMalformed(body);
            throw;
        }
    }

    /// <summary>Reads the reader's root value to its end and checks nothing but whitespace follows.</summary>
    public static void End(ref Utf8JsonReader reader)
    {
        reader.Skip();
        if (reader.Read()) throw new InvalidOperationException("unreachable: the reader refuses a second root value");
    }

    public delegate T BodyReader<T>(ReadOnlySpan<byte> body, SchemaFields fields, int maxRows);

    private static void ThrowIfMalformed(ReadOnlySpan<byte> body)
    {
        var reader = Reader(body);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
    }

    private static InputException Malformed(JsonException e)
    {
        var hint = e.Message.Contains("'N'", StringComparison.Ordinal) || e.Message.Contains("'I'", StringComparison.Ordinal) || e.Message.Contains("'-'", StringComparison.Ordinal)
            ? " (NaN and Infinity are not JSON: send null for a missing value)" : "";
        return InputException.BadRequest($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}{hint}");
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
