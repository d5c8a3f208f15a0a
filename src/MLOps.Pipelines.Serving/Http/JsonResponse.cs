using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>Writes JSON straight into the response's pipe (no intermediate object graph), and the protocol's error shape.</summary>
internal static class JsonResponse
{
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            write(writer);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>{"error": "..."}</c>, the Open Inference Protocol's error object.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });
}
