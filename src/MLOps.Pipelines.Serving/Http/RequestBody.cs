using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.Serving.Input;

namespace MLOps.Pipelines.Serving.Http;

/// <summary>
/// Reads a request body from the connection's pipe within the size limit (413 above it) and hands its bytes to a
/// reader without copying them (a body split over several buffer segments is copied once into a pooled array).
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads what a body says about the rows a client sent (an Input reader such as <see cref="TensorReader.Read"/>).</summary>
    public delegate T Reader<T>(ReadOnlySpan<byte> body, SchemaContract schema, int maxRows);

    public static async Task<T> ReadAsync<T>(HttpContext context, long maxBytes, SchemaContract schema, int maxRows, Reader<T> read)
    {
        if (context.Request.ContentLength is { } length && length > maxBytes)
            throw InputException.TooLarge($"the body is {length} bytes, more than the limit of {maxBytes}; send smaller batches");
        var pipe = context.Request.BodyReader;
        ReadResult result;
        try
        {
            while (true)
            {
                result = await pipe.ReadAsync(context.RequestAborted);
                if (result.Buffer.Length > maxBytes)
                {
                    pipe.AdvanceTo(result.Buffer.End);
                    throw TooLarge(maxBytes);
                }

                if (result.IsCompleted) break;
                // All seen, none consumed: wait for more. A cancelled read (Kestrel wakes pending reads when the host
                // stops) is read again: a request in flight is drained, not dropped; an aborted one throws from ReadAsync.
                pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }

        try
        {
            return Read(result.Buffer, schema, maxRows, read);
        }
        finally
        {
            pipe.AdvanceTo(result.Buffer.End);
        }
    }

    private static T Read<T>(ReadOnlySequence<byte> body, SchemaContract schema, int maxRows, Reader<T> read)
    {
        if (body.IsSingleSegment) return read(body.FirstSpan, schema, maxRows);
        var length = checked((int)body.Length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(copy);
            return read(copy.AsSpan(0, length), schema, maxRows);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static InputException TooLarge(long maxBytes) =>
        InputException.TooLarge($"the body is larger than the limit of {maxBytes} bytes; send smaller batches");
}
