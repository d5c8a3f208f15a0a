using System.Text;
using Google.Protobuf;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The categories each string input of an ONNX model was trained with, read from the graph itself: ML.NET exports
/// one-hot encoding as a <c>LabelEncoder</c> (or <c>OneHotEncoder</c>) whose <c>keys_strings</c>/<c>cats_strings</c>
/// attribute is the training vocabulary. A value outside it is what training calls unseen (all-zero one-hot slots);
/// the server scores it the same way and counts it. Reads the protobuf wire format directly (the ONNX message classes
/// are not public in any referenced package).
/// </summary>
internal static class OnnxCategoryVocabulary
{
    private sealed record Node(string OpType, List<string> Inputs, List<string> Outputs, Dictionary<string, List<string>> StringAttributes);

    /// <summary>Input name → its vocabulary, for the inputs whose encoder could be traced back to them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Read(string onnxPath, IEnumerable<string> inputs)
    {
        var model = File.ReadAllBytes(onnxPath);
        var graph = LengthDelimited(model, 7).FirstOrDefault();
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (graph is null) return result;
        var nodes = LengthDelimited(graph, 1).Select(ParseNode).ToList();
        var producer = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in nodes)
            foreach (var output in node.Outputs) producer[output] = node;
        var wanted = new HashSet<string>(inputs, StringComparer.Ordinal);

        foreach (var node in nodes)
        {
            var vocabulary = node.OpType switch
            {
                "LabelEncoder" => node.StringAttributes.GetValueOrDefault("keys_strings"),
                "OneHotEncoder" => node.StringAttributes.GetValueOrDefault("cats_strings"),
                _ => null,
            };
            if (vocabulary is null || node.Inputs.Count == 0) continue;
            var source = node.Inputs[0];
            for (var hops = 0; hops < 16 && !wanted.Contains(source) && producer.TryGetValue(source, out var from) && from.Inputs.Count > 0; hops++)
                source = from.Inputs[0];
            if (wanted.Contains(source) && !result.ContainsKey(source))
                result[source] = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        }

        return result;
    }

    private static Node ParseNode(byte[] bytes)
    {
        var node = new Node("", [], [], new Dictionary<string, List<string>>(StringComparer.Ordinal));
        var opType = "";
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited): node.Inputs.Add(input.ReadString()); break;
                case (2, WireFormat.WireType.LengthDelimited): node.Outputs.Add(input.ReadString()); break;
                case (4, WireFormat.WireType.LengthDelimited): opType = input.ReadString(); break;
                case (5, WireFormat.WireType.LengthDelimited):
                    var (name, strings) = ParseAttribute(input.ReadBytes().ToByteArray());
                    if (strings.Count > 0) node.StringAttributes[name] = strings;
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return node with { OpType = opType };
    }

    private static (string Name, List<string> Strings) ParseAttribute(byte[] bytes)
    {
        var name = "";
        var strings = new List<string>();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))
            {
                case (1, WireFormat.WireType.LengthDelimited): name = input.ReadString(); break;
                case (9, WireFormat.WireType.LengthDelimited): strings.Add(Encoding.UTF8.GetString(input.ReadBytes().Span)); break;
                default: input.SkipLastField(); break;
            }
        }

        return (name, strings);
    }

    private static IEnumerable<byte[]> LengthDelimited(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        uint tag;
        var found = new List<byte[]>();
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else input.SkipLastField();
        }

        return found;
    }
}
