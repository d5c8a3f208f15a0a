using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// Writes JSON straight into the response's pipe (no intermediate object graph), and the protocol's error shape. The
/// writer is reused per thread (reset onto each response): writing is synchronous, the flush after it is not.
/// </summary>
internal static class JsonResponse
{
    /// <summary>Where an idle reused writer points, so it holds no finished response's pipe; never written to.</summary>
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? reused;

    public static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write) =>
        WriteAsync(context, status, write, static (w, write) => write(w));

    /// <summary>Writes with <paramref name="write"/>(writer, <paramref name="state"/>): a static lambda allocates no closure.</summary>
    public static async Task WriteAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var writer = reused ??= new Utf8JsonWriter(Detached);
        writer.Reset(context.Response.BodyWriter);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        finally
        {
            writer.Reset(Detached);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>{"error": "..."}</c>, the Open Inference Protocol's error object.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, message, static (w, message) =>
        {
            w.WriteStartObject();
            w.WriteString(JsonNames.Error, message);
            w.WriteEndObject();
        });
}
