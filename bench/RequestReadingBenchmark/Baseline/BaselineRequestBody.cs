using System.Text.Json;
using MLOps.Pipelines.Serving.Input;

namespace RequestReadingBenchmark.Baseline;

/// <summary>The body parse as it was before streaming (frozen copy, the benchmark's baseline): a whole JsonDocument first.</summary>
internal static class BaselineRequestBody
{
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            var hint = e.Message.Contains("'N'", StringComparison.Ordinal) || e.Message.Contains("'I'", StringComparison.Ordinal) || e.Message.Contains("'-'", StringComparison.Ordinal)
                ? " (NaN and Infinity are not JSON: send null for a missing value)" : "";
            throw InputException.BadRequest($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}{hint}");
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
