using System.Text;
using Google.Protobuf;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The nodes of an ONNX model's main graph, read from the protobuf wire format (the ONNX message classes are not public
/// in any referenced package): op type, domain, inputs, outputs and attributes, plus the names of the graph's inputs,
/// outputs and initializers. Enough to interpret a graph's feature-encoding prefix and to cut it off.
/// </summary>
internal sealed class OnnxGraph
{
    // onnx.proto field numbers. ModelProto.graph = 7; GraphProto: node 1, initializer 5, input 11, output 12,
    // value_info 13; NodeProto: input 1, output 2, op_type 4, attribute 5, domain 7; ValueInfoProto.name = 1.
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int GraphValueInfo = 13;

    private OnnxGraph(List<OnnxNode> nodes, List<string> inputs, List<string> outputs, HashSet<string> initializers, Dictionary<string, float[]> floatConstants)
    {
        FloatConstants = floatConstants;
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
        Initializers = initializers;
    }

    public IReadOnlyList<OnnxNode> Nodes { get; }
    public IReadOnlyList<string> Inputs { get; }
    public IReadOnlyList<string> Outputs { get; }
    public IReadOnlySet<string> Initializers { get; }

    /// <summary>The values of the float initializers (the calibration's slope and offset, for instance), flattened.</summary>
    public IReadOnlyDictionary<string, float[]> FloatConstants { get; }

    public static OnnxGraph Read(byte[] model)
    {
        var graph = ProtobufWire.LengthDelimitedFields(model, ModelGraph).FirstOrDefault() ?? throw new InvalidDataException("the ONNX model has no graph");
        var nodes = new List<OnnxNode>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        var constants = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (field, wireType, _, payload) in ProtobufWire.Fields(graph))
        {
            if (wireType != ProtobufWire.LengthDelimited) continue;
            switch (field)
            {
                case GraphNode: nodes.Add(ParseNode(payload!)); break;
                case GraphInput: inputs.Add(FirstString(payload!, 1)); break;
                case GraphOutput: outputs.Add(FirstString(payload!, 1)); break;
                // TensorProto.name = 8.
                case GraphInitializer:
                    initializers.Add(FirstString(payload!, 8));
                    if (FloatTensor(payload!) is { } constant) constants[constant.Name] = constant.Values;
                    break;
            }
        }

        return new OnnxGraph(nodes, inputs, outputs, initializers, constants);
    }

    /// <summary>
    /// The model with its graph's nodes reduced to <paramref name="keep"/> (by index, order kept), its inputs replaced by
    /// one float tensor <paramref name="input"/> of shape <c>[N, width]</c>, and intermediate shape hints dropped.
    /// Everything else (opsets, initializers, outputs, metadata) is copied byte for byte.
    /// </summary>
    public static byte[] Cut(byte[] model, IReadOnlySet<int> keep, string input, int width)
    {
        var newInput = FloatMatrixValueInfo(input, width);
        return ProtobufWire.RewriteField(model, ModelGraph, graph =>
        {
            using var output = new MemoryStream();
            var nodeIndex = 0;
            var inputWritten = false;
            foreach (var (field, wireType, raw, _) in ProtobufWire.Fields(graph))
            {
                switch (field)
                {
                    case GraphNode when wireType == ProtobufWire.LengthDelimited:
                        if (keep.Contains(nodeIndex++)) output.Write(raw);
                        break;
                    case GraphInput when wireType == ProtobufWire.LengthDelimited:
                        if (!inputWritten) ProtobufWire.WriteLengthDelimited(output, GraphInput, newInput);
                        inputWritten = true;
                        break;
                    case GraphValueInfo when wireType == ProtobufWire.LengthDelimited:
                        break;
                    default:
                        output.Write(raw);
                        break;
                }
            }

            if (!inputWritten) ProtobufWire.WriteLengthDelimited(output, GraphInput, newInput);
            return output.ToArray();
        });
    }

    /// <summary>
    /// The model with its graph's outputs replaced by one float tensor <paramref name="output"/> of shape <c>[N, width]</c>
    /// (an intermediate tensor, such as the feature vector, made readable); nodes and everything else kept.
    /// </summary>
    public static byte[] WithOutput(byte[] model, string output, int width)
    {
        var newOutput = FloatMatrixValueInfo(output, width);
        return ProtobufWire.RewriteField(model, ModelGraph, graph =>
        {
            using var result = new MemoryStream();
            var written = false;
            foreach (var (field, wireType, raw, _) in ProtobufWire.Fields(graph))
            {
                if (field == GraphOutput && wireType == ProtobufWire.LengthDelimited)
                {
                    if (!written) ProtobufWire.WriteLengthDelimited(result, GraphOutput, newOutput);
                    written = true;
                }
                else if (field != GraphValueInfo) result.Write(raw);
            }

            if (!written) ProtobufWire.WriteLengthDelimited(result, GraphOutput, newOutput);
            return result.ToArray();
        });
    }

    private static byte[] FloatMatrixValueInfo(string name, int width)
    {
        // TensorShapeProto.Dimension: dim_value 1, dim_param 2; TensorShapeProto.dim 1; TypeProto.Tensor: elem_type 1
        // (FLOAT = 1), shape 2; TypeProto.tensor_type 1; ValueInfoProto: name 1, type 2.
        var rows = Message(w => { w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteString("N"); });
        var columns = Message(w => { w.WriteTag(1, WireFormat.WireType.Varint); w.WriteInt64(width); });
        var shape = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(rows));
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(columns));
        });
        var tensor = Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.Varint); w.WriteInt32(1);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(shape));
        });
        var type = Message(w => { w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(tensor)); });
        return Message(w =>
        {
            w.WriteTag(1, WireFormat.WireType.LengthDelimited); w.WriteString(name);
            w.WriteTag(2, WireFormat.WireType.LengthDelimited); w.WriteBytes(ByteString.CopyFrom(type));
        });
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    private static OnnxNode ParseNode(byte[] bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        var opType = "";
        var domain = "";
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited): inputs.Add(input.ReadString()); break;
                case (2, WireFormat.WireType.LengthDelimited): outputs.Add(input.ReadString()); break;
                case (4, WireFormat.WireType.LengthDelimited): opType = input.ReadString(); break;
                case (7, WireFormat.WireType.LengthDelimited): domain = input.ReadString(); break;
                case (5, WireFormat.WireType.LengthDelimited):
                    var attribute = ParseAttribute(input.ReadBytes().ToByteArray());
                    attributes[attribute.Name] = attribute;
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new OnnxNode(opType, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ParseAttribute(byte[] bytes)
    {
        // AttributeProto: name 1, f 2, i 3, s 4, floats 7, ints 8, strings 9 (ints and floats packed or not).
        var name = "";
        string? s = null;
        float? f = null;
        long? i = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<string>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited): name = input.ReadString(); break;
                case (2, WireFormat.WireType.Fixed32): f = input.ReadFloat(); break;
                case (3, WireFormat.WireType.Varint): i = input.ReadInt64(); break;
                case (4, WireFormat.WireType.LengthDelimited): s = Encoding.UTF8.GetString(input.ReadBytes().Span); break;
                case (7, WireFormat.WireType.Fixed32): floats.Add(input.ReadFloat()); break;
                case (7, WireFormat.WireType.LengthDelimited):
                    var packedFloats = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packedFloats.IsAtEnd) floats.Add(packedFloats.ReadFloat());
                    break;
                case (8, WireFormat.WireType.Varint): ints.Add(input.ReadInt64()); break;
                case (8, WireFormat.WireType.LengthDelimited):
                    var packedInts = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packedInts.IsAtEnd) ints.Add(packedInts.ReadInt64());
                    break;
                case (9, WireFormat.WireType.LengthDelimited): strings.Add(Encoding.UTF8.GetString(input.ReadBytes().Span)); break;
                default: input.SkipLastField(); break;
            }
        }

        return new OnnxAttribute(name, f, i, floats, ints, strings, s);
    }

    /// <summary>A FLOAT TensorProto's name and values (float_data or little-endian raw_data), or null for other types.</summary>
    private static (string Name, float[] Values)? FloatTensor(byte[] bytes)
    {
        // TensorProto: data_type 2 (FLOAT = 1), float_data 4 (packed or not), name 8, raw_data 9.
        long type = 0;
        var name = "";
        var values = new List<float>();
        byte[]? raw = null;
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (2, WireFormat.WireType.Varint): type = input.ReadInt64(); break;
                case (4, WireFormat.WireType.Fixed32): values.Add(input.ReadFloat()); break;
                case (4, WireFormat.WireType.LengthDelimited):
                    var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
                    while (!packed.IsAtEnd) values.Add(packed.ReadFloat());
                    break;
                case (8, WireFormat.WireType.LengthDelimited): name = input.ReadString(); break;
                case (9, WireFormat.WireType.LengthDelimited): raw = input.ReadBytes().ToByteArray(); break;
                default: input.SkipLastField(); break;
            }
        }

        if (type != 1) return null;
        if (raw is not null)
        {
            var fromRaw = new float[raw.Length / 4];
            for (var k = 0; k < fromRaw.Length; k++) fromRaw[k] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(k * 4));
            return (name, fromRaw);
        }

        return (name, values.ToArray());
    }

    private static string FirstString(byte[] message, int field) => ProtobufWire.ReadString(message, field) ?? "";
}
