namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The feature-encoding prefix of an exported model's graph — ML.NET's missing-value replacement, one-hot and
/// concatenation, exported as <c>Cast</c>, <c>Imputer</c>, <c>LabelEncoder</c>, <c>OneHotEncoder</c> and
/// <c>FeatureVectorizer</c> nodes — run in managed code, straight from the nodes' attributes (the vocabulary, the
/// imputed values and the slot layout recorded at Export), up to the one float vector the trees read.
/// </summary>
/// <remarks>
/// Why: ONNX Runtime spends about as long on these ~45 tiny nodes (a kernel launch, and string tensors, each) as on
/// 200 trees, for one row; here they cost about a microsecond. Exact: lookups, copies and integer casts only, no
/// arithmetic, so the vector is bit-identical to the one the graph computes — and <see cref="SplitOnnxScorer"/> checks
/// that against the whole graph in ONNX Runtime at load before it is used. Only the ops above, with the input
/// and attribute forms listed in <see cref="Compile"/>, are interpreted; a graph with anything else is not split.
/// The features themselves still come from the pipeline's own code (the encoder reads what it computed).
/// </remarks>
internal sealed class FeatureVectorEncoder
{
    private readonly List<Action<Dictionary<string, Tensor>, int>> steps;
    private readonly IReadOnlyList<(string Name, bool Text)> inputs;

    private FeatureVectorEncoder(List<Action<Dictionary<string, Tensor>, int>> steps, IReadOnlyList<(string Name, bool Text)> inputs, string output, int width)
    {
        this.steps = steps;
        this.inputs = inputs;
        Output = output;
        Width = width;
    }

    /// <summary>The graph tensor this encoder produces (the trees' input).</summary>
    public string Output { get; }

    /// <summary>Floats per row of <see cref="Output"/>.</summary>
    public int Width { get; }

    /// <summary>The graph inputs the encoder reads, and whether each is text.</summary>
    public IReadOnlyList<(string Name, bool Text)> Inputs => inputs;

    /// <summary>
    /// Splits <paramref name="graph"/> into an encoding prefix this class can run and the rest. Succeeds when the nodes
    /// that read only graph inputs (and each other's outputs) are all interpretable and hand exactly one float tensor to
    /// the rest, and the rest reads nothing else of the prefix or of the graph inputs.
    /// </summary>
    /// <param name="textInputs">Which graph inputs are strings (the others are float, fed as <c>[rows, 1]</c>).</param>
    /// <param name="rest">The indexes of the nodes left for ONNX Runtime.</param>
    /// <param name="reason">Why the graph cannot be split, when it cannot.</param>
    public static FeatureVectorEncoder? Compile(OnnxGraph graph, IReadOnlyDictionary<string, bool> textInputs, out HashSet<int> rest, out string reason)
    {
        rest = [];
        var kinds = new Dictionary<string, (Kind Kind, int Width)>(StringComparer.Ordinal);
        foreach (var (name, text) in textInputs) kinds[name] = (text ? Kind.Text : Kind.Float, 1);
        var prefix = new List<(int Index, Action<Dictionary<string, Tensor>, int> Step)>();
        var producedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < graph.Nodes.Count; index++)
        {
            var node = graph.Nodes[index];
            (Kind Kind, int Width) produced = default;
            var step = node.Inputs.Count > 0 && node.Inputs.All(kinds.ContainsKey) && node.Outputs.Count == 1
                ? Step(node, node.Inputs.Select(i => kinds[i]).ToList(), out produced) : null;
            if (step is null)
            {
                rest.Add(index);
                continue;
            }

            kinds[node.Outputs[0]] = produced;
            producedBy[node.Outputs[0]] = prefix.Count;
            prefix.Add((index, step));
        }

        // What the rest of the graph (and the graph's outputs) read from the prefix or the raw inputs.
        var restNodes = rest;
        var handed = rest.SelectMany(i => graph.Nodes[i].Inputs).Concat(graph.Outputs)
            .Where(kinds.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        if (handed.Count != 1 || !producedBy.ContainsKey(handed[0]) || kinds[handed[0]].Kind != Kind.Float)
        {
            reason = $"the encoding nodes hand {handed.Count} tensors to the rest of the graph ({string.Join(", ", handed)}), not one float vector";
            rest = [];
            return null;
        }

        // Keep only the nodes each part needs.
        var cut = handed[0];
        var needed = Needed(graph, [cut], prefix.Select(p => p.Index).ToHashSet());
        rest = Needed(graph, graph.Outputs, restNodes);
        var steps = prefix.Where(p => needed.Contains(p.Index)).Select(p => p.Step).ToList();
        var read = needed.SelectMany(i => graph.Nodes[i].Inputs).Where(textInputs.ContainsKey).Distinct(StringComparer.Ordinal)
            .Select(n => (n, textInputs[n])).ToList();
        reason = "";
        return new FeatureVectorEncoder(steps, read, cut, kinds[cut].Width);
    }

    /// <summary>Row-major <c>[rows, Width]</c> floats from the computed features (float[] or string?[] per input, null text = "").</summary>
    public float[] Encode(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, text) in inputs)
            tensors[name] = text ? Tensor.Text((string?[])features[name]) : Tensor.Float((float[])features[name], 1);
        foreach (var step in steps) step(tensors, rows);
        return tensors[Output].Floats!;
    }

    /// <summary>Writes the <c>[rows, Width]</c> floats into the start of <paramref name="destination"/>.</summary>
    public void Encode(IReadOnlyDictionary<string, Array> features, int rows, float[] destination) =>
        Encode(features, rows).AsSpan(0, rows * Width).CopyTo(destination);

    /// <summary>The nodes among <paramref name="candidates"/> that <paramref name="targets"/> depend on.</summary>
    private static HashSet<int> Needed(OnnxGraph graph, IEnumerable<string> targets, IReadOnlySet<int> candidates)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in candidates)
            foreach (var output in graph.Nodes[i].Outputs) producer[output] = i;
        var needed = new HashSet<int>();
        var stack = new Stack<string>(targets);
        while (stack.Count > 0)
        {
            if (!producer.TryGetValue(stack.Pop(), out var node) || !needed.Add(node)) continue;
            foreach (var input in graph.Nodes[node].Inputs) stack.Push(input);
        }

        return needed;
    }

    /// <summary>The interpreter for one node, or null when this class cannot run it exactly.</summary>
    private static Action<Dictionary<string, Tensor>, int>? Step(OnnxNode node, List<(Kind Kind, int Width)> inputs, out (Kind Kind, int Width) produced)
    {
        produced = default;
        var output = node.Outputs[0];
        var a = node.Attributes;
        var domain = node.Domain;
        bool Ml() => domain == "ai.onnx.ml";
        switch (node.OpType)
        {
            case "Identity" when inputs.Count == 1 && domain.Length == 0:
            {
                var input = node.Inputs[0];
                produced = inputs[0];
                return (t, _) => t[output] = t[input];
            }

            case "Cast" when inputs.Count == 1 && domain.Length == 0 && a.TryGetValue("to", out var to) && to.Int is { } target:
                return Cast(node.Inputs[0], output, inputs[0], target, out produced);

            case "Imputer" when Ml() && inputs.Count == 1 && inputs[0].Kind == Kind.Float && !a.ContainsKey("imputed_value_int64s"):
            {
                var values = a.GetValueOrDefault("imputed_value_floats")?.Floats ?? [];
                var width = inputs[0].Width;
                if (values.Count != 1 && values.Count != width) return null;
                var replaced = a.GetValueOrDefault("replaced_value_float")?.Float ?? 0f;
                var input = node.Inputs[0];
                var imputed = values.ToArray();
                produced = inputs[0];
                return (t, rows) =>
                {
                    var source = t[input].Floats!;
                    var result = new float[source.Length];
                    for (var i = 0; i < source.Length; i++)
                    {
                        var v = source[i];
                        result[i] = (float.IsNaN(replaced) ? float.IsNaN(v) : v == replaced) ? imputed[imputed.Length == 1 ? 0 : i % width] : v;
                    }

                    t[output] = Tensor.Float(result, width);
                };
            }

            case "LabelEncoder" when Ml() && inputs.Count == 1 && inputs[0] is { Kind: Kind.Text, Width: 1 }
                && a.TryGetValue("keys_strings", out var keys) && a.TryGetValue("values_int64s", out var values)
                && keys.Strings.Count == values.Ints.Count:
            {
                // An attribute written without its value (proto3 omits zeros) holds 0; absent altogether, the op's -1.
                var fallback = a.TryGetValue("default_int64", out var d) ? d.Int ?? 0 : -1;
                var map = new Dictionary<string, long>(StringComparer.Ordinal);
                for (var i = 0; i < keys.Strings.Count; i++) map.TryAdd(keys.Strings[i], values.Ints[i]);
                var input = node.Inputs[0];
                produced = (Kind.Int64, 1);
                return (t, rows) =>
                {
                    var text = t[input].Texts!;
                    var result = new long[rows];
                    for (var i = 0; i < rows; i++) result[i] = map.TryGetValue(text[i] ?? "", out var v) ? v : fallback;
                    t[output] = Tensor.Integer(result, Kind.Int64, 1);
                };
            }

            case "OneHotEncoder" when Ml() && inputs.Count == 1 && inputs[0].Kind == Kind.Int64 && a.TryGetValue("cats_int64s", out var cats):
            {
                var zeros = a.GetValueOrDefault("zeros")?.Int ?? 1;
                var slots = new Dictionary<long, int>();
                for (var i = 0; i < cats.Ints.Count; i++) slots.TryAdd(cats.Ints[i], i);
                var k = cats.Ints.Count;
                var width = inputs[0].Width * k;
                var input = node.Inputs[0];
                produced = (Kind.Float, width);
                return (t, rows) =>
                {
                    var source = t[input].Longs!;
                    var result = new float[source.Length * k];
                    for (var i = 0; i < source.Length; i++)
                    {
                        if (slots.TryGetValue(source[i], out var slot)) result[(i * k) + slot] = 1f;
                        else if (zeros == 0) throw new InvalidOperationException($"{node.OpType} {output}: category {source[i]} is unknown and the model allows none");
                    }

                    t[output] = Tensor.Float(result, width);
                };
            }

            case "FeatureVectorizer" when Ml() && inputs.All(i => i.Kind == Kind.Float)
                && a.TryGetValue("inputdimensions", out var dimensions) && dimensions.Ints.Count == inputs.Count
                && dimensions.Ints.Select((w, i) => w == inputs[i].Width).All(x => x):
            {
                var names = node.Inputs.ToArray();
                var widths = inputs.Select(i => i.Width).ToArray();
                var width = widths.Sum();
                produced = (Kind.Float, width);
                return (t, rows) =>
                {
                    var result = new float[rows * width];
                    var offset = 0;
                    for (var k = 0; k < names.Length; k++)
                    {
                        var source = t[names[k]].Floats!;
                        var w = widths[k];
                        for (var r = 0; r < rows; r++) Array.Copy(source, r * w, result, (r * width) + offset, w);
                        offset += w;
                    }

                    t[output] = Tensor.Float(result, width);
                };
            }

            default:
                return null;
        }
    }

    private static Action<Dictionary<string, Tensor>, int>? Cast(string input, string output, (Kind Kind, int Width) from, long to, out (Kind Kind, int Width) produced)
    {
        // onnx.proto TensorProto.DataType: FLOAT 1, INT32 6, INT64 7, UINT32 12. Integers travel as long.
        produced = default;
        var width = from.Width;
        switch (from.Kind, to)
        {
            case (Kind.Float, 1):
                produced = from;
                return (t, _) => t[output] = t[input];
            case (Kind.Int64 or Kind.Int32 or Kind.UInt32, 1):
                produced = (Kind.Float, width);
                return (t, _) => t[output] = Tensor.Float(Array.ConvertAll(t[input].Longs!, v => (float)v), width);
            case (Kind.Int64 or Kind.Int32 or Kind.UInt32, 7):
                produced = (Kind.Int64, width);
                return (t, _) => t[output] = Tensor.Integer(t[input].Longs!, Kind.Int64, width);
            case (Kind.Int64 or Kind.Int32 or Kind.UInt32, 12):
                produced = (Kind.UInt32, width);
                return (t, _) => t[output] = Tensor.Integer(Array.ConvertAll(t[input].Longs!, v => (long)unchecked((uint)v)), Kind.UInt32, width);
            case (Kind.Int64 or Kind.Int32 or Kind.UInt32, 6):
                produced = (Kind.Int32, width);
                return (t, _) => t[output] = Tensor.Integer(Array.ConvertAll(t[input].Longs!, v => (long)unchecked((int)v)), Kind.Int32, width);
            default:
                // Float to integer (NaN and overflow are undefined in C++) and anything else: left to ONNX Runtime.
                return null;
        }
    }

    private enum Kind { Float, Int64, Int32, UInt32, Text }

    /// <summary>A row-major tensor of <c>rows × Width</c> elements, held in the array of its kind.</summary>
    private sealed class Tensor
    {
        private Tensor(Kind kind, int width, float[]? floats, long[]? longs, string?[]? texts)
        {
            ElementKind = kind;
            Width = width;
            Floats = floats;
            Longs = longs;
            Texts = texts;
        }

        public Kind ElementKind { get; }
        public int Width { get; }
        public float[]? Floats { get; }
        public long[]? Longs { get; }
        public string?[]? Texts { get; }

        public static Tensor Float(float[] values, int width) => new(Kind.Float, width, values, null, null);

        public static Tensor Integer(long[] values, Kind kind, int width) => new(kind, width, null, values, null);

        public static Tensor Text(string?[] values) => new(Kind.Text, 1, null, null, values);
    }
}
