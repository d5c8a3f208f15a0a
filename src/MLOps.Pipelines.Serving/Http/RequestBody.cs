using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>Reads a request body as JSON within the size limit: 413 above it, 400 naming the position when malformed.</summary>
internal static class RequestBody
{
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength is { } length && length > maxBytes)
            throw InputException.TooLarge($"the body is {length} bytes, more than the limit of {maxBytes}; send smaller batches");
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            var hint = e.Message.Contains("'N'", StringComparison.Ordinal) || e.Message.Contains("'I'", StringComparison.Ordinal) || e.Message.Contains("'-'", StringComparison.Ordinal)
                ? " (NaN and Infinity are not JSON: send null for a missing value)" : "";
            throw InputException.BadRequest($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}{hint}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw InputException.TooLarge($"the body is larger than the limit of {maxBytes} bytes; send smaller batches");
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}
