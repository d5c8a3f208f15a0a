using System.Runtime.CompilerServices;
using System.Buffers;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// The part of an exported model's graph after the feature vector — the tree ensembles (<see cref="TreeEnsembleEvaluator"/>)
/// and the small ops of the calibration or class normalisation ML.NET writes after them (Mul, Add, Sub, Div, Sigmoid,
/// Exp, Concat, ReduceSum, Softmax, one-input Max/Min/Sum, Identity, float Cast) — compiled once into a list of steps
/// over one scratch row: every tensor the output depends on has a fixed offset and width there, constants are written
/// once per call, and a row is scored by running the steps in graph order.
/// </summary>
internal sealed class ManagedGraphTail
{
    private readonly Step[] steps;
    private readonly TreeEnsembleEvaluator[] trees;
    private readonly float[] template;
    private readonly int inputWidth;
    private readonly int outputOffset;

    private ManagedGraphTail(Step[] steps, TreeEnsembleEvaluator[] trees, float[] template, int inputWidth, int outputOffset, int outputWidth, string description)
    {
        this.steps = steps;
        this.trees = trees;
        this.template = template;
        this.inputWidth = inputWidth;
        this.outputOffset = outputOffset;
        OutputWidth = outputWidth;
        Description = description;
    }

    private enum Op { Tree, Add, Sub, Mul, Div, Max, Min, Sum, Sigmoid, Exp, Copy, Concat, ReduceSum, Softmax }

    /// <summary>Floats per row of the output.</summary>
    public int OutputWidth { get; }

    /// <summary>What the tail runs, e.g. "TreeEnsembleRegressor, Mul, Add, Sigmoid, Identity (30 trees)".</summary>
    public string Description { get; }

    /// <summary>
    /// The tail of <paramref name="graph"/> from the float vector <paramref name="input"/> (<paramref name="width"/> floats
    /// a row) to <paramref name="output"/>, or null with the first node or attribute it cannot run.
    /// </summary>
    public static ManagedGraphTail? Compile(OnnxGraph graph, string input, int width, string output, out string reason)
    {
        // Nodes the output depends on, in graph order, stopping at the vector.
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Count; i++)
            foreach (var o in graph.Nodes[i].Outputs) producer.TryAdd(o, i);
        var needed = new HashSet<int>();
        var pending = new Stack<string>([output]);
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name == input || !producer.TryGetValue(name, out var node) || !needed.Add(node)) continue;
            foreach (var i in graph.Nodes[node].Inputs) pending.Push(i);
        }

        var offsets = new Dictionary<string, (int Offset, int Width)>(StringComparer.Ordinal) { [input] = (0, width) };
        var template = new List<float>(new float[width]);
        int Allocate(int w) { var at = template.Count; template.AddRange(new float[w]); return at; }
        (int Offset, int Width)? Operand(string name)
        {
            if (offsets.TryGetValue(name, out var known)) return known;
            if (!graph.FloatConstants.TryGetValue(name, out var constant) || constant.Length == 0) return null;
            var at = template.Count;
            template.AddRange(constant);
            return offsets[name] = (at, constant.Length);
        }

        var steps = new List<Step>();
        var trees = new List<TreeEnsembleEvaluator>();
        var ops = new List<string>();
        var treeCount = 0;
        foreach (var index in needed.Order())
        {
            var node = graph.Nodes[index];
            var a = node.Attributes;
            var inputs = node.Inputs.Where(i => i.Length > 0).Select(Operand).ToList();
            var where = $"node {index} ({node.OpType} → {string.Join(", ", node.Outputs)})";
            if (inputs.Any(i => i is null))
            {
                reason = $"{where} reads a tensor that is neither the feature vector, a computed float tensor nor a float constant";
                return null;
            }

            var operands = inputs.Select(i => i!.Value).ToArray();
            var domain = node.Domain is "" or "ai.onnx" ? "" : node.Domain;
            Step step;
            switch (node.OpType)
            {
                case "TreeEnsembleRegressor" or "TreeEnsembleClassifier" when domain == "ai.onnx.ml" && operands.Length == 1:
                {
                    var tree = TreeEnsembleEvaluator.Compile(node, operands[0].Width, out var why);
                    if (tree is null)
                    {
                        reason = $"{where}: {why}";
                        return null;
                    }

                    // The classifier's first output is the label (not computed here), its second the scores.
                    var scores = node.OpType == "TreeEnsembleClassifier" ? 1 : 0;
                    var label = scores == 1 ? node.Outputs[0] : null;
                    if (node.Outputs.Count <= scores || (label is not null && (label == output || needed.Any(n => graph.Nodes[n].Inputs.Contains(label)))))
                    {
                        reason = $"{where}: its label output is read";
                        return null;
                    }

                    step = new Step(Op.Tree, operands, Allocate(tree.Targets), tree.Targets, trees.Count);
                    offsets[node.Outputs[scores]] = (step.Out, step.OutWidth);
                    trees.Add(tree);
                    ops.Add(node.OpType);
                    treeCount += tree.Trees;
                    steps.Add(step);
                    continue;
                }

                case "Add" or "Sub" or "Mul" or "Div" when domain == "" && operands.Length == 2 && Broadcastable(operands, out var w):
                    step = new Step(Enum.Parse<Op>(node.OpType), operands, Allocate(w), w);
                    break;
                case "Max" or "Min" or "Sum" when domain == "" && operands.Length >= 1 && Broadcastable(operands, out var w):
                    step = new Step(operands.Length == 1 ? Op.Copy : Enum.Parse<Op>(node.OpType), operands, Allocate(w), w);
                    break;
                case "Sigmoid" or "Exp" when domain == "" && operands.Length == 1:
                    step = new Step(Enum.Parse<Op>(node.OpType), operands, Allocate(operands[0].Width), operands[0].Width);
                    break;
                case "Identity" when domain == "" && operands.Length == 1:
                case "Cast" when domain == "" && operands.Length == 1 && a.TryGetValue("to", out var to) && to.Int == 1:
                    step = new Step(Op.Copy, operands, Allocate(operands[0].Width), operands[0].Width);
                    break;
                case "Concat" when domain == "" && a.TryGetValue("axis", out var axis) && axis.Int is 1 or -1:
                    step = new Step(Op.Concat, operands, Allocate(operands.Sum(o => o.Width)), operands.Sum(o => o.Width));
                    break;
                case "ReduceSum" when domain == "" && operands.Length == 1
                    && (a.GetValueOrDefault("keepdims")?.Int ?? 1) == 1 && a.TryGetValue("axes", out var axes) && axes.Ints is [1] or [-1]:
                    step = new Step(Op.ReduceSum, operands, Allocate(1), 1);
                    break;
                case "Softmax" when domain == "" && operands.Length == 1 && (a.GetValueOrDefault("axis")?.Int ?? -1) is 1 or -1:
                    step = new Step(Op.Softmax, operands, Allocate(operands[0].Width), operands[0].Width);
                    break;
                default:
                    reason = $"{where}: op {(domain.Length > 0 ? domain + "." : "")}{node.OpType} with these inputs and attributes is not supported in managed code";
                    return null;
            }

            if (node.Outputs.Count != 1)
            {
                reason = $"{where}: has {node.Outputs.Count} outputs";
                return null;
            }

            offsets[node.Outputs[0]] = (step.Out, step.OutWidth);
            ops.Add(node.OpType);
            steps.Add(step);
        }

        if (!offsets.TryGetValue(output, out var result) || output == input)
        {
            reason = $"output '{output}' is not computed from '{input}'";
            return null;
        }

        reason = "";
        var described = $"{string.Join(", ", ops.GroupBy(o => o).Select(g => g.Count() == 1 ? g.Key : $"{g.Count()}× {g.Key}"))} ({treeCount} trees)";
        return new ManagedGraphTail([.. steps], [.. trees], [.. template], width, result.Offset, result.Width, described);
    }

    /// <summary>Row-major outputs for <paramref name="rows"/> feature vectors of <c>width</c> floats each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public float[] Run(float[] vectors, int rows)
    {
        var result = new float[rows * OutputWidth];
        var scratch = ArrayPool<float>.Shared.Rent(template.Length);
        try
        {
            template.CopyTo(scratch, 0);
            for (var r = 0; r < rows; r++)
            {
                Array.Copy(vectors, r * inputWidth, scratch, 0, inputWidth);
                foreach (var step in steps) Execute(step, scratch);
                Array.Copy(scratch, outputOffset, result, r * OutputWidth, OutputWidth);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Execute(Step step, float[] s)
    {
        var o = step.Out;
        var w = step.OutWidth;
        var x = step.Inputs[0];
        switch (step.Op)
        {
            case Op.Tree:
                trees[step.Tree].Score(s.AsSpan(x.Offset, x.Width), s.AsSpan(o, w));
                return;
            case Op.Copy:
                for (var i = 0; i < w; i++) s[o + i] = s[x.Offset + (x.Width == 1 ? 0 : i)];
                return;
            case Op.Sigmoid:
                // ONNX Runtime's Sigmoid (MLAS) is a rational approximation within float rounding of this.
                for (var i = 0; i < w; i++) s[o + i] = TreeEnsembleEvaluator.Logistic(s[x.Offset + i]);
                return;
            case Op.Exp:
                for (var i = 0; i < w; i++) s[o + i] = MathF.Exp(s[x.Offset + i]);
                return;
            case Op.ReduceSum:
            {
                var sum = 0f;
                for (var i = 0; i < x.Width; i++) sum += s[x.Offset + i];
                s[o] = sum;
                return;
            }

            case Op.Softmax:
                Array.Copy(s, x.Offset, s, o, w);
                TreeEnsembleEvaluator.Softmax(s.AsSpan(o, w));
                return;
            case Op.Concat:
                foreach (var part in step.Inputs)
                {
                    Array.Copy(s, part.Offset, s, o, part.Width);
                    o += part.Width;
                }

                return;
            default:
                for (var i = 0; i < w; i++)
                {
                    var acc = At(s, x, i);
                    for (var k = 1; k < step.Inputs.Length; k++)
                    {
                        var y = At(s, step.Inputs[k], i);
                        acc = step.Op switch
                        {
                            Op.Add or Op.Sum => acc + y,
                            Op.Sub => acc - y,
                            Op.Mul => acc * y,
                            Op.Div => acc / y,
                            Op.Max => Math.Max(acc, y),
                            _ => Math.Min(acc, y),
                        };
                    }

                    s[o + i] = acc;
                }

                return;
        }
    }

    private static float At(float[] s, (int Offset, int Width) operand, int i) => s[operand.Offset + (operand.Width == 1 ? 0 : i)];

    /// <summary>Elementwise operands of one width, or width 1 broadcast to it.</summary>
    private static bool Broadcastable((int Offset, int Width)[] operands, out int width)
    {
        width = operands.Max(o => o.Width);
        var w = width;
        return operands.All(o => o.Width == 1 || o.Width == w);
    }

    private readonly record struct Step(Op Op, (int Offset, int Width)[] Inputs, int Out, int OutWidth, int Tree = -1);
}
