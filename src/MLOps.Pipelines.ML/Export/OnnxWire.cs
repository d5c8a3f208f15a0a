using Google.Protobuf;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// ONNX attributes written in the protobuf wire format, for <see cref="ProtobufWire.RewriteField"/> to put in place of
/// ML.NET's (ML.NET's generated ONNX message classes are not accessible).
/// </summary>
internal static class OnnxWire
{
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
}
