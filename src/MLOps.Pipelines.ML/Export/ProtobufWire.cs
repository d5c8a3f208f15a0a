using System.Text;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// Just enough of the protobuf wire format to read and edit an ONNX file in place: walk a message's fields, copy every
/// field verbatim except the length-delimited ones being rewritten. (The ONNX message classes are not public in any
/// referenced package.) Shared by Export's rewrite of the tree table and the server's reading and cutting of a graph.
/// </summary>
public static class ProtobufWire
{
    /// <summary>The wire type of strings, bytes and embedded messages.</summary>
    public const int LengthDelimited = 2;

    /// <summary>Each field: number, wire type, its raw bytes (tag included) and, if length-delimited, the payload.</summary>
    public static IEnumerable<(int Number, int WireType, byte[] Raw, byte[]? Payload)> Fields(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            byte[]? payload = null;
            switch (wireType)
            {
                case 0: ReadVarint(message, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case LengthDelimited:
                    var length = (int)ReadVarint(message, ref position);
                    payload = message.AsSpan(position, length).ToArray();
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unsupported protobuf wire type {wireType} at byte {start}.");
            }

            yield return (number, wireType, message.AsSpan(start, position - start).ToArray(), payload);
        }
    }

    /// <summary>The payloads of the length-delimited fields with this number, in order.</summary>
    public static IEnumerable<byte[]> LengthDelimitedFields(byte[] message, int field) =>
        Fields(message).Where(f => f.Number == field && f.WireType == LengthDelimited).Select(f => f.Payload!);

    /// <summary>The first string field with this number, or null.</summary>
    public static string? ReadString(byte[] message, int field) =>
        LengthDelimitedFields(message, field).Select(payload => Encoding.UTF8.GetString(payload)).FirstOrDefault();

    /// <summary>
    /// Copies a message, passing each occurrence of length-delimited field <paramref name="field"/> through
    /// <paramref name="rewrite"/> (null drops it).
    /// </summary>
    public static byte[] RewriteField(byte[] message, int field, Func<byte[], byte[]?> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        using var output = new MemoryStream();
        foreach (var (number, wireType, raw, payload) in Fields(message))
        {
            if (number != field || wireType != LengthDelimited)
            {
                output.Write(raw);
                continue;
            }

            if (rewrite(payload!) is { } replaced) WriteLengthDelimited(output, number, replaced);
        }

        return output.ToArray();
    }

    /// <summary>Writes field <paramref name="field"/> as a length-delimited field holding <paramref name="payload"/>.</summary>
    public static void WriteLengthDelimited(Stream output, int field, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(payload);
        WriteVarint(output, ((ulong)field << 3) | LengthDelimited);
        WriteVarint(output, (ulong)payload.Length);
        output.Write(payload);
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
