using System.Runtime.CompilerServices;
using System.Collections.Frozen;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The feature-encoding prefix of an exported model's graph — ML.NET's missing-value replacement, one-hot and
/// concatenation, exported as <c>Cast</c>, <c>Imputer</c>, <c>LabelEncoder</c>, <c>OneHotEncoder</c> and
/// <c>FeatureVectorizer</c> nodes — compiled at load, from the nodes' attributes (the vocabulary, the imputed values
/// and the slot layout recorded at Export), into a plan that writes each raw feature straight into its slots of the one
/// float vector the trees read: a number is copied (with its imputation rules), a category is looked up once in a map
/// from its text to the one-hot slot it sets (the label encoder, casts and one-hot encoder folded together).
/// </summary>
/// <remarks>
/// Why: ONNX Runtime spends about as long on these ~45 tiny nodes (a kernel launch, and string tensors, each) as on
/// 200 trees, for one row; here they cost about a microsecond. Exact: lookups, copies and integer casts only, no
/// arithmetic, so the vector is bit-identical to the one the graph computes — and <see cref="SplitOnnxScorer"/> checks
/// that against the whole graph in ONNX Runtime at load before it is used. Only the ops above, with the input
/// and attribute forms listed in <see cref="Compile"/>, are compiled; a graph with anything else is not split.
/// No intermediate tensor exists at run time: one zeroed vector, filled slot by slot.
/// The features themselves still come from the pipeline's own code (the encoder reads what it computed).
/// </remarks>
internal sealed class FeatureVectorEncoder
{
    private readonly CopySlot[] copies;
    private readonly ValueSlot[] values;
    private readonly HotGroup[] hots;
    // Each copy's, then each value's, then each one-hot group's input, found in the order the computed features come in.
    private readonly ColumnPositions inputPositions;

    private FeatureVectorEncoder(CopySlot[] copies, ValueSlot[] values, HotGroup[] hots, IReadOnlyList<(string Name, bool Text)> inputs, string output, int width)
    {
        this.copies = copies;
        this.values = values;
        this.hots = hots;
        inputPositions = new ColumnPositions(copies.Select(c => c.Input).Concat(values.Select(v => v.Input)).Concat(hots.Select(h => h.Input)));
        Inputs = inputs;
        Output = output;
        Width = width;
    }

    /// <summary>The graph tensor this encoder produces (the trees' input).</summary>
    public string Output { get; }

    /// <summary>Floats per row of <see cref="Output"/>.</summary>
    public int Width { get; }

    /// <summary>The graph inputs the encoder reads, and whether each is text.</summary>
    public IReadOnlyList<(string Name, bool Text)> Inputs { get; }

    /// <summary>
    /// Splits <paramref name="graph"/> into an encoding prefix this class can run and the rest. Succeeds when the nodes
    /// that read only graph inputs (and each other's outputs) are all compilable and hand exactly one float tensor to
    /// the rest, and the rest reads nothing else of the prefix or of the graph inputs.
    /// </summary>
    /// <param name="textInputs">Which graph inputs are strings (the others are float, fed as <c>[rows, 1]</c>).</param>
    /// <param name="rest">The indexes of the nodes left for ONNX Runtime.</param>
    /// <param name="reason">Why the graph cannot be split, when it cannot.</param>
    public static FeatureVectorEncoder? Compile(OnnxGraph graph, IReadOnlyDictionary<string, bool> textInputs, out HashSet<int> rest, out string reason)
    {
        rest = [];
        var symbols = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        foreach (var (name, text) in textInputs) symbols[name] = text ? new TextInput(name) : new FloatTensor([new FloatSource(name, [])]);
        var prefix = new List<int>();
        var producedBy = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < graph.Nodes.Count; index++)
        {
            var node = graph.Nodes[index];
            var produced = node.Inputs.Count > 0 && node.Inputs.All(symbols.ContainsKey) && node.Outputs.Count == 1
                ? Fold(node, node.Inputs.Select(i => symbols[i]).ToList()) : null;
            if (produced is null)
            {
                rest.Add(index);
                continue;
            }

            symbols[node.Outputs[0]] = produced;
            producedBy[node.Outputs[0]] = index;
            prefix.Add(index);
        }

        // What the rest of the graph (and the graph's outputs) read from the prefix or the raw inputs.
        var restNodes = rest;
        var handed = rest.SelectMany(i => graph.Nodes[i].Inputs).Concat(graph.Outputs)
            .Where(symbols.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
        if (handed.Count != 1 || !producedBy.ContainsKey(handed[0]) || symbols[handed[0]] is not FloatTensor vector)
        {
            reason = $"the encoding nodes hand {handed.Count} tensors to the rest of the graph ({string.Join(", ", handed)}), not one float vector";
            rest = [];
            return null;
        }

        var cut = handed[0];
        rest = Needed(graph, graph.Outputs, restNodes);
        var plan = Plan(vector.Slots, textInputs, out reason);
        if (plan is null)
        {
            rest = [];
            return null;
        }

        return plan.Value.Build(cut);
    }

    /// <summary>Row-major <c>[rows, Width]</c> floats from the computed features (float[] or string?[] per input, null text = "").</summary>
    public float[] Encode(IReadOnlyDictionary<string, Array> features, int rows)
    {
        var result = new float[rows * Width];
        Encode(features, rows, result);
        return result;
    }

    /// <summary>Writes the <c>[rows, Width]</c> floats into the start of <paramref name="destination"/> (which may hold anything before).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Encode(IReadOnlyDictionary<string, Array> features, int rows, float[] destination)
    {
        var width = Width;
        Array.Clear(destination, 0, rows * width);
        // By position when the features came in an order (a request's always do), else by name.
        var inputs = inputPositions.Of(features);
        for (var i = 0; i < copies.Length; i++)
        {
            var copy = copies[i];
            var source = (float[])inputs[i];
            var rules = copy.Rules;
            for (int r = 0, slot = copy.Slot; r < rows; r++, slot += width)
            {
                var v = source[r];
                foreach (var (replaced, imputed) in rules)
                    if (float.IsNaN(replaced) ? float.IsNaN(v) : v == replaced) v = imputed;
                destination[slot] = v;
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            var text = (string?[])inputs[copies.Length + i];
            for (int r = 0, slot = value.Slot; r < rows; r++, slot += width)
                destination[slot] = value.Map.TryGetValue(text[r] ?? "", out var v) ? v : value.Fallback;
        }

        for (var i = 0; i < hots.Length; i++)
        {
            var hot = hots[i];
            var text = (string?[])inputs[copies.Length + values.Length + i];
            for (int r = 0, row = 0; r < rows; r++, row += width)
            {
                var slot = hot.Map.TryGetValue(text[r] ?? "", out var s) ? s : hot.Fallback;
                if (slot >= 0) destination[row + slot] = 1f;
                else if (slot == HotGroup.Refuse)
                    throw new InvalidOperationException($"one-hot encoding of '{hot.Input}': category '{text[r]}' is unknown and the model allows none");
            }
        }
    }

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

    /// <summary>The slots of the vector as copies, text values and one-hot groups, or null when a one-hot group is split or repeated.</summary>
    private static PlanParts? Plan(IReadOnlyList<Slot> slots, IReadOnlyDictionary<string, bool> textInputs, out string reason)
    {
        var copies = new List<CopySlot>();
        var values = new List<ValueSlot>();
        var groups = new Dictionary<OneHot, int[]>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < slots.Count; i++)
        {
            switch (slots[i])
            {
                case FloatSource f: copies.Add(new CopySlot(f.Input, i, [.. f.Rules])); break;
                case TextValue t: values.Add(new ValueSlot(t.Input, i, t.Map, t.Fallback)); break;
                case HotSlot h:
                    if (!groups.TryGetValue(h.Group, out var positions)) groups[h.Group] = positions = Enumerable.Repeat(-1, h.Group.Width).ToArray();
                    if (positions[h.Position] >= 0)
                    {
                        reason = $"one-hot slot {h.Position} of '{h.Group.Input}' appears twice in the vector";
                        return null;
                    }

                    positions[h.Position] = i;
                    break;
            }
        }

        var hots = new List<HotGroup>();
        foreach (var (group, positions) in groups)
        {
            if (positions.Any(p => p < 0))
            {
                reason = $"the one-hot slots of '{group.Input}' are not all in the vector";
                return null;
            }

            int Place(int slot) => slot >= 0 ? positions[slot] : slot;
            hots.Add(new HotGroup(group.Input, group.Map.ToFrozenDictionary(kv => kv.Key, kv => Place(kv.Value), StringComparer.Ordinal), Place(group.Fallback)));
        }

        var read = copies.Select(c => c.Input).Concat(values.Select(v => v.Input)).Concat(hots.Select(h => h.Input))
            .Distinct(StringComparer.Ordinal).Select(n => (n, textInputs[n])).ToList();
        reason = "";
        return new PlanParts([.. copies], [.. values], [.. hots], read, slots.Count);
    }

    /// <summary>What <paramref name="node"/> makes of its inputs' symbols, or null when this class cannot fold it exactly.</summary>
    private static Symbol? Fold(OnnxNode node, List<Symbol> inputs)
    {
        var a = node.Attributes;
        var domain = node.Domain;
        var ml = domain == "ai.onnx.ml";
        switch (node.OpType)
        {
            case "Identity" when inputs.Count == 1 && domain.Length == 0:
                return inputs[0];

            case "Cast" when inputs.Count == 1 && domain.Length == 0 && a.TryGetValue("to", out var to) && to.Int is { } target:
                // onnx.proto TensorProto.DataType: FLOAT 1, INT32 6, INT64 7, UINT32 12. Float to integer (NaN and
                // overflow are undefined in C++) and anything else: left to ONNX Runtime.
                return (inputs[0], target) switch
                {
                    (FloatTensor f, 1) => f,
                    (Codes c, 1) => new FloatTensor([new TextValue(c.Input, c.Map.ToDictionary(kv => kv.Key, kv => (float)kv.Value, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal), c.Fallback)]),
                    (Codes c, 7) => c with { Type = 7 },
                    (Codes c, 12) => c.Convert(v => (long)unchecked((uint)v), 12),
                    (Codes c, 6) => c.Convert(v => (long)unchecked((int)v), 6),
                    _ => null,
                };

            case "Imputer" when ml && inputs is [FloatTensor tensor] && !a.ContainsKey("imputed_value_int64s"):
            {
                var imputed = a.GetValueOrDefault("imputed_value_floats")?.Floats ?? [];
                var width = tensor.Slots.Count;
                if (imputed.Count != 1 && imputed.Count != width) return null;
                var replaced = a.GetValueOrDefault("replaced_value_float")?.Float ?? 0f;
                bool Replaces(float v) => float.IsNaN(replaced) ? float.IsNaN(v) : v == replaced;
                var slots = new List<Slot>(width);
                for (var i = 0; i < width; i++)
                {
                    var value = imputed[imputed.Count == 1 ? 0 : i];
                    switch (tensor.Slots[i])
                    {
                        case FloatSource f: slots.Add(f with { Rules = [.. f.Rules, (replaced, value)] }); break;
                        case TextValue t:
                            slots.Add(new TextValue(t.Input, t.Map.ToFrozenDictionary(kv => kv.Key, kv => Replaces(kv.Value) ? value : kv.Value, StringComparer.Ordinal),
                                Replaces(t.Fallback) ? value : t.Fallback));
                            break;
                        // A one-hot slot holds 0 or 1: untouched when NaN is replaced, else not foldable here.
                        case HotSlot h when float.IsNaN(replaced): slots.Add(h); break;
                        default: return null;
                    }
                }

                return new FloatTensor(slots);
            }

            case "LabelEncoder" when ml && inputs is [TextInput text]
                && a.TryGetValue("keys_strings", out var keys) && a.TryGetValue("values_int64s", out var codes)
                && keys.Strings.Count == codes.Ints.Count:
            {
                // An attribute written without its value (proto3 omits zeros) holds 0; absent altogether, the op's -1.
                var fallback = a.TryGetValue("default_int64", out var d) ? d.Int ?? 0 : -1;
                var map = new Dictionary<string, long>(StringComparer.Ordinal);
                for (var i = 0; i < keys.Strings.Count; i++) map.TryAdd(keys.Strings[i], codes.Ints[i]);
                return new Codes(text.Name, map, fallback, 7);
            }

            case "OneHotEncoder" when ml && inputs is [Codes { Type: 7 } code] && a.TryGetValue("cats_int64s", out var cats):
            {
                var zeros = a.GetValueOrDefault("zeros")?.Int ?? 1;
                var slotOf = new Dictionary<long, int>();
                for (var i = 0; i < cats.Ints.Count; i++) slotOf.TryAdd(cats.Ints[i], i);
                int Slot(long c) => slotOf.TryGetValue(c, out var s) ? s : zeros == 0 ? HotGroup.Refuse : HotGroup.None;
                var group = new OneHot(code.Input, code.Map.ToDictionary(kv => kv.Key, kv => Slot(kv.Value), StringComparer.Ordinal), Slot(code.Fallback), cats.Ints.Count);
                return new FloatTensor([.. Enumerable.Range(0, group.Width).Select(i => new HotSlot(group, i))]);
            }

            case "FeatureVectorizer" when ml && inputs.All(i => i is FloatTensor)
                && a.TryGetValue("inputdimensions", out var dimensions) && dimensions.Ints.Count == inputs.Count
                && dimensions.Ints.Select((w, i) => w == ((FloatTensor)inputs[i]).Slots.Count).All(x => x):
                return new FloatTensor([.. inputs.SelectMany(i => ((FloatTensor)i).Slots)]);

            default:
                return null;
        }
    }

    // What a prefix tensor is, symbolically: a raw text input, a label encoder's codes for one, or float slots.
    private abstract record Symbol;

    private sealed record TextInput(string Name) : Symbol;

    /// <summary>Integer codes of a text input (width 1); <see cref="Type"/> is the ONNX element type (7 int64, 6 int32, 12 uint32).</summary>
    private sealed record Codes(string Input, IReadOnlyDictionary<string, long> Map, long Fallback, int Type) : Symbol
    {
        public Codes Convert(Func<long, long> cast, int type) =>
            new(Input, Map.ToDictionary(kv => kv.Key, kv => cast(kv.Value), StringComparer.Ordinal), cast(Fallback), type);
    }

    private sealed record FloatTensor(IReadOnlyList<Slot> Slots) : Symbol;

    private abstract record Slot;

    /// <summary>A float input's value, then each (replaced, imputed) rule in turn.</summary>
    private sealed record FloatSource(string Input, IReadOnlyList<(float Replaced, float Imputed)> Rules) : Slot;

    /// <summary>A float looked up from a text input's value.</summary>
    private sealed record TextValue(string Input, FrozenDictionary<string, float> Map, float Fallback) : Slot;

    /// <summary>Slot <see cref="Position"/> of a one-hot group.</summary>
    private sealed record HotSlot(OneHot Group, int Position) : Slot;

    /// <summary>A one-hot encoding of a text input: the slot each text sets (or <see cref="HotGroup.None"/> / <see cref="HotGroup.Refuse"/>).</summary>
    private sealed record OneHot(string Input, Dictionary<string, int> Map, int Fallback, int Width);

    private readonly record struct CopySlot(string Input, int Slot, (float Replaced, float Imputed)[] Rules);

    private readonly record struct ValueSlot(string Input, int Slot, FrozenDictionary<string, float> Map, float Fallback);

    /// <summary>A one-hot group placed in the vector: the vector slot each text sets.</summary>
    private readonly record struct HotGroup(string Input, FrozenDictionary<string, int> Map, int Fallback)
    {
        public const int None = -1;
        public const int Refuse = -2;
    }

    private readonly record struct PlanParts(CopySlot[] Copies, ValueSlot[] Values, HotGroup[] Hots, List<(string Name, bool Text)> Inputs, int Width)
    {
        public FeatureVectorEncoder Build(string output) => new(Copies, Values, Hots, Inputs, output, Width);
    }
}
