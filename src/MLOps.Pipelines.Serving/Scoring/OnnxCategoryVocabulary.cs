namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The categories each string input of an ONNX model was trained with, read from the graph itself: ML.NET exports
/// one-hot encoding as a <c>LabelEncoder</c> (or <c>OneHotEncoder</c>) whose <c>keys_strings</c>/<c>cats_strings</c>
/// attribute is the training vocabulary. A value outside it is what training calls unseen (all-zero one-hot slots);
/// the server scores it the same way and counts it.
/// </summary>
internal static class OnnxCategoryVocabulary
{
    /// <summary>Input name → its vocabulary, for the inputs whose encoder could be traced back to them.</summary>
    public static Dictionary<string, IReadOnlySet<string>> Read(OnnxGraph graph, IEnumerable<string> inputs)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
            foreach (var output in node.Outputs) producer[output] = node;
        var wanted = new HashSet<string>(inputs, StringComparer.Ordinal);

        foreach (var node in graph.Nodes)
        {
            var vocabulary = node.OpType switch
            {
                "LabelEncoder" => node.Attributes.GetValueOrDefault("keys_strings")?.Strings,
                "OneHotEncoder" => node.Attributes.GetValueOrDefault("cats_strings")?.Strings,
                _ => null,
            };
            if (vocabulary is not { Count: > 0 } || node.Inputs.Count == 0) continue;
            var source = node.Inputs[0];
            for (var hops = 0; hops < 16 && !wanted.Contains(source) && producer.TryGetValue(source, out var from) && from.Inputs.Count > 0; hops++)
                source = from.Inputs[0];
            if (wanted.Contains(source) && !result.ContainsKey(source))
                result[source] = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        }

        return result;
    }
}
