using System.Text;
using Google.Protobuf;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// Just enough of the protobuf wire format to edit an ONNX file in place: copy every field verbatim except the
/// length-delimited fields being rewritten. (ML.NET's generated ONNX message classes are not accessible.)
/// </summary>
internal static class OnnxWire
{
    private const int LengthDelimited = 2;

    // onnx.proto AttributeProto: name = 1, floats = 7, ints = 8, strings = 9, type = 20 (FLOATS 6, INTS 7, STRINGS 8).
    public static byte[] Ints(string name, IReadOnlyList<long> values) => Attribute(name, 7, w =>
    {
        foreach (var v in values) { w.WriteTag(8, WireFormat.WireType.Varint); w.WriteInt64(v); }
    });

    public static byte[] Floats(string name, IReadOnlyList<float> values) => Attribute(name, 6, w =>
    {
        foreach (var v in values) { w.WriteTag(7, WireFormat.WireType.Fixed32); w.WriteFloat(v); }
    });

    public static byte[] Strings(string name, IReadOnlyList<string> values) => Attribute(name, 8, w =>
    {
        foreach (var v in values) { w.WriteTag(9, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFromUtf8(v)); }
    });

    /// <summary>
    /// Copies a message, passing each occurrence of length-delimited field <paramref name="field"/> through
    /// <paramref name="rewrite"/> (null drops it).
    /// </summary>
    public static byte[] RewriteField(byte[] message, int field, Func<byte[], byte[]?> rewrite)
    {
        using var output = new MemoryStream();
        foreach (var (number, wireType, raw, payload) in Fields(message))
        {
            if (number != field || wireType != LengthDelimited)
            {
                output.Write(raw);
                continue;
            }

            var replaced = rewrite(payload!);
            if (replaced is null) continue;
            WriteVarint(output, ((ulong)number << 3) | LengthDelimited);
            WriteVarint(output, (ulong)replaced.Length);
            output.Write(replaced);
        }

        return output.ToArray();
    }

    /// <summary>The first string field with this number, or null.</summary>
    public static string? ReadString(byte[] message, int field)
    {
        foreach (var (number, wireType, _, payload) in Fields(message))
        {
            if (number == field && wireType == LengthDelimited) return Encoding.UTF8.GetString(payload!);
        }

        return null;
    }

    private static byte[] Attribute(string name, int type, Action<CodedOutputStream> values)
    {
        using var output = new MemoryStream();
        var w = new CodedOutputStream(output);
        w.WriteTag(1, WireFormat.WireType.LengthDelimited);
        w.WriteString(name);
        values(w);
        w.WriteTag(20, WireFormat.WireType.Varint);
        w.WriteInt32(type);
        w.Flush();
        return output.ToArray();
    }

    /// <summary>Each field: number, wire type, its raw bytes (tag included) and, if length-delimited, the payload.</summary>
    private static IEnumerable<(int Number, int WireType, byte[] Raw, byte[]? Payload)> Fields(byte[] message)
    {
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
