using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLOps.Pipelines.Serving.Scoring;

/// <summary>
/// An ai.onnx.ml <c>TreeEnsembleRegressor</c> or <c>TreeEnsembleClassifier</c> (its scores output) compiled once from
/// the node's attributes into flat arrays: one entry per tree node (feature, threshold, mode, children as array
/// indexes) and the leaves' weights per target. Scores one row at a time the way ONNX Runtime's CPU kernel does: trees
/// in the order they first appear, leaf weights summed in float, then the base values, then the post transform.
/// </summary>
/// <remarks>
/// The hot methods are compiled fully optimised from their first call (AggressiveOptimization): tier-0 code of these
/// loops is several times slower, and a loaded machine can delay tier-1 for long after a model starts serving.
/// </remarks>
internal sealed class TreeEnsembleEvaluator
{
    private const byte Leq = 0, Lt = 1, Gte = 2, Gt = 3, Eq = 4, Neq = 5, Leaf = 6;

    private readonly int[] roots;
    // One struct per node, so that a step down a tree touches one cache line, not five arrays.
    private readonly Node[] nodes;
    // A leaf's weights: leafStart[node] .. leafStart[node + 1] into weightTarget/weightValue.
    private readonly int[] leafStart;
    private readonly int[] weightTarget;
    private readonly float[] weightValue;
    private readonly float[] baseValues;
    private readonly Aggregate aggregate;
    private readonly PostTransform post;
    private readonly bool onlyLeq;
    // One target summed or averaged, at most one weight a leaf: the weight sits in the leaf's Threshold.
    private readonly bool singleWeight;

    private TreeEnsembleEvaluator(int[] roots, int[] feature, float[] threshold, byte[] mode, bool[] missingTrue, int[] trueNext, int[] falseNext,
        int[] leafStart, int[] weightTarget, float[] weightValue, float[] baseValues, int targets, Aggregate aggregate, PostTransform post)
    {
        this.roots = roots;
        this.leafStart = leafStart;
        this.weightTarget = weightTarget;
        this.weightValue = weightValue;
        this.baseValues = baseValues;
        Targets = targets;
        this.aggregate = aggregate;
        this.post = post;
        onlyLeq = mode.All(m => m is Leq or Leaf);
        singleWeight = targets == 1 && aggregate is Aggregate.Sum or Aggregate.Average
            && Enumerable.Range(0, mode.Length).All(i => leafStart[i + 1] - leafStart[i] <= 1);
        nodes = new Node[mode.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var leafWeight = leafStart[i + 1] > leafStart[i] ? weightValue[leafStart[i]] : 0f;
            nodes[i] = new Node(feature[i], mode[i] == Leaf && singleWeight ? leafWeight : threshold[i], trueNext[i], falseNext[i], mode[i], missingTrue[i]);
        }
    }

    /// <summary>Scores per row: the regressor's targets or the classifier's classes.</summary>
    public int Targets { get; }

    /// <summary>The trees, for the path description.</summary>
    public int Trees => roots.Length;

    private enum Aggregate { Sum, Average, Min, Max }

    private enum PostTransform { None, Logistic, Softmax }

    /// <summary>The evaluator for <paramref name="node"/> reading rows of <paramref name="width"/> floats, or null with the reason.</summary>
    public static TreeEnsembleEvaluator? Compile(OnnxNode node, int width, out string reason)
    {
        var a = node.Attributes;
        var classifier = node.OpType == "TreeEnsembleClassifier";
        var prefix = classifier ? "class_" : "target_";
        IReadOnlyList<long> Ints(string name) => a.TryGetValue(name, out var v) ? v.Ints : [];
        IReadOnlyList<float> Floats(string name) => a.TryGetValue(name, out var v) ? v.Floats : [];
        string Text(string name, string fallback) => a.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.String) ? v.String : fallback;
        reason = "";

        var unsupported = a.Keys.FirstOrDefault(k => k.EndsWith("_as_tensor", StringComparison.Ordinal));
        if (unsupported is not null) return Fail($"attribute {unsupported} (double thresholds/weights) is not supported", out reason);
        var treeIds = Ints("nodes_treeids");
        var nodeIds = Ints("nodes_nodeids");
        var featureIds = Ints("nodes_featureids");
        var modes = a.TryGetValue("nodes_modes", out var m) ? m.Strings : [];
        var values = Floats("nodes_values");
        var trues = Ints("nodes_truenodeids");
        var falses = Ints("nodes_falsenodeids");
        var missing = Ints("nodes_missing_value_tracks_true");
        var n = treeIds.Count;
        if (n == 0 || nodeIds.Count != n || featureIds.Count != n || modes.Count != n || trues.Count != n || falses.Count != n
            || (values.Count != n && values.Count != 0) || (missing.Count != n && missing.Count != 0))
            return Fail("the nodes_* attributes are missing or differ in length", out reason);

        var aggregate = Text("aggregate_function", "SUM") switch
        {
            "SUM" => Aggregate.Sum,
            "AVERAGE" => Aggregate.Average,
            "MIN" => Aggregate.Min,
            "MAX" => Aggregate.Max,
            var other => (Aggregate?)null,
        };
        if (aggregate is null) return Fail($"aggregate_function {Text("aggregate_function", "")} is not supported", out reason);
        var post = Text("post_transform", "NONE") switch
        {
            "NONE" => PostTransform.None,
            "LOGISTIC" => PostTransform.Logistic,
            "SOFTMAX" => PostTransform.Softmax,
            _ => (PostTransform?)null,
        };
        if (post is null) return Fail($"post_transform {Text("post_transform", "")} is not supported", out reason);

        var weightTrees = Ints(prefix + "treeids");
        var weightNodes = Ints(prefix + "nodeids");
        var weightIds = Ints(prefix + "ids");
        var weights = Floats(prefix + "weights");
        if (weightNodes.Count != weightTrees.Count || weightIds.Count != weightTrees.Count || weights.Count != weightTrees.Count)
            return Fail($"the {prefix}* attributes differ in length", out reason);
        int targets;
        if (classifier)
        {
            targets = Math.Max(Ints("classlabels_int64s").Count, a.TryGetValue("classlabels_strings", out var labels) ? labels.Strings.Count : 0);
            // ONNX Runtime's binary case (two labels, weights for one class) reports 1 - p beside p: not reproduced here.
            if (weightIds.Distinct().Count() != targets) return Fail("a classifier whose weights do not name every class (the binary case) is not supported", out reason);
        }
        else targets = (int)(a.TryGetValue("n_targets", out var t) ? t.Int ?? 0 : 0);
        // ONNX Runtime's one-target regressor writes the aggregated score as it is (its one-target path applies PROBIT
        // only, which is refused above); the managed-versus-ONNX Runtime test pins this for LOGISTIC.
        if (!classifier && targets == 1) post = PostTransform.None;
        if (targets < 1 || weightIds.Any(i => i < 0 || i >= targets)) return Fail($"{prefix}ids are outside the {targets} targets", out reason);
        var baseValues = Floats("base_values").ToArray();
        if (baseValues.Length != 0 && baseValues.Length != targets) return Fail($"base_values has {baseValues.Length} values for {targets} targets", out reason);
        if (baseValues.Length == 0) baseValues = new float[targets];

        // Node index by (tree, node id); trees in the order they first appear.
        var index = new Dictionary<(long Tree, long Node), int>();
        var treeOrder = new List<long>();
        for (var i = 0; i < n; i++)
        {
            if (!index.TryAdd((treeIds[i], nodeIds[i]), i)) return Fail($"tree {treeIds[i]} has node {nodeIds[i]} twice", out reason);
            if (nodeIds[i] == 0) treeOrder.Add(treeIds[i]);
        }

        if (treeOrder.Count != treeIds.Distinct().Count()) return Fail("a tree has no node 0", out reason);
        var feature = new int[n];
        var threshold = new float[n];
        var mode = new byte[n];
        var missingTrue = new bool[n];
        var trueNext = new int[n];
        var falseNext = new int[n];
        for (var i = 0; i < n; i++)
        {
            mode[i] = modes[i] switch
            {
                "BRANCH_LEQ" => Leq,
                "BRANCH_LT" => Lt,
                "BRANCH_GTE" => Gte,
                "BRANCH_GT" => Gt,
                "BRANCH_EQ" => Eq,
                "BRANCH_NEQ" => Neq,
                "LEAF" => Leaf,
                _ => byte.MaxValue,
            };
            if (mode[i] == byte.MaxValue) return Fail($"node mode {modes[i]} is not supported", out reason);
            if (mode[i] == Leaf) continue;
            if (featureIds[i] < 0 || featureIds[i] >= width) return Fail($"tree {treeIds[i]} node {nodeIds[i]} reads feature {featureIds[i]} of {width}", out reason);
            if (!index.TryGetValue((treeIds[i], trues[i]), out trueNext[i]) || !index.TryGetValue((treeIds[i], falses[i]), out falseNext[i]))
                return Fail($"tree {treeIds[i]} node {nodeIds[i]} points at a node the tree does not have", out reason);
            feature[i] = (int)featureIds[i];
            threshold[i] = values.Count == 0 ? 0f : values[i];
            missingTrue[i] = missing.Count != 0 && missing[i] != 0;
            // x > t is !(x <= t) for every x but NaN, which the missing flag routes: a BRANCH_GT node is a BRANCH_LEQ node
            // with its branches swapped and its missing flag inverted. ML.NET's LightGBM export mixes the two modes, and
            // an ensemble of LEQ nodes only takes the walk without a mode switch per node.
            if (mode[i] == Gt && !float.IsNaN(threshold[i]))
                (mode[i], trueNext[i], falseNext[i], missingTrue[i]) = (Leq, falseNext[i], trueNext[i], !missingTrue[i]);
        }

        // Leaf weights grouped by leaf, in attribute order.
        var byLeaf = new List<(int Target, float Weight)>[n];
        for (var k = 0; k < weightTrees.Count; k++)
        {
            if (!index.TryGetValue((weightTrees[k], weightNodes[k]), out var leaf) || mode[leaf] != Leaf)
                return Fail($"weight {k} is for tree {weightTrees[k]} node {weightNodes[k]}, not a leaf", out reason);
            (byLeaf[leaf] ??= []).Add(((int)weightIds[k], weights[k]));
        }

        var leafStart = new int[n + 1];
        var weightTarget = new List<int>();
        var weightValue = new List<float>();
        for (var i = 0; i < n; i++)
        {
            leafStart[i] = weightTarget.Count;
            foreach (var (target, weight) in byLeaf[i] ?? []) { weightTarget.Add(target); weightValue.Add(weight); }
        }

        leafStart[n] = weightTarget.Count;
        var roots = treeOrder.Select(tree => index[(tree, 0)]).ToArray();
        if (!Acyclic(mode, trueNext, falseNext)) return Fail("a tree's branches form a cycle", out reason);
        return new TreeEnsembleEvaluator(roots, feature, threshold, mode, missingTrue, trueNext, falseNext, leafStart, [.. weightTarget], [.. weightValue],
            baseValues, targets, aggregate.Value, post.Value);
    }

    /// <summary>Writes <see cref="Targets"/> scores for <paramref name="row"/> into <paramref name="scores"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Score(ReadOnlySpan<float> row, Span<float> scores)
    {
        if (singleWeight)
        {
            // ONNX Runtime's one-target path: a float running sum of each tree's leaf weight, in tree order.
            var sum = 0f;
            foreach (var root in roots) sum += nodes[onlyLeq ? LeafLeq(root, row) : LeafAny(root, row)].Threshold;
            if (aggregate == Aggregate.Average) sum /= roots.Length;
            scores[0] = sum + baseValues[0];
            Transform(scores);
            return;
        }

        Span<bool> has = Targets <= 64 ? stackalloc bool[Targets] : new bool[Targets];
        scores.Clear();
        has.Clear();
        foreach (var root in roots)
        {
            var leaf = onlyLeq ? LeafLeq(root, row) : LeafAny(root, row);
            for (var k = leafStart[leaf]; k < leafStart[leaf + 1]; k++)
            {
                var target = weightTarget[k];
                var w = weightValue[k];
                switch (aggregate)
                {
                    case Aggregate.Min: scores[target] = !has[target] || w < scores[target] ? w : scores[target]; break;
                    case Aggregate.Max: scores[target] = !has[target] || w > scores[target] ? w : scores[target]; break;
                    default: scores[target] += w; break;
                }

                has[target] = true;
            }
        }

        for (var t = 0; t < Targets; t++)
        {
            if (aggregate == Aggregate.Average) scores[t] /= roots.Length;
            scores[t] += baseValues[t];
        }

        Transform(scores);
    }

    private void Transform(Span<float> scores)
    {
        switch (post)
        {
            case PostTransform.Logistic:
                for (var t = 0; t < Targets; t++) scores[t] = Logistic(scores[t]);
                break;
            case PostTransform.Softmax:
                Softmax(scores[..Targets]);
                break;
        }
    }

    /// <summary>1 / (1 + e^-x), computed on |x| as ONNX Runtime does so that it never overflows.</summary>
    public static float Logistic(float x)
    {
        var v = 1f / (1f + MathF.Exp(-MathF.Abs(x)));
        return x < 0 ? 1f - v : v;
    }

    public static void Softmax(Span<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++) sum += values[i] = MathF.Exp(values[i] - max);
        for (var i = 0; i < values.Length; i++) values[i] /= sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int LeafLeq(int index, ReadOnlySpan<float> row)
    {
        // Feature ids were checked against the row width at compile time: no bounds checks on the hot path.
        ref var x = ref MemoryMarshal.GetReference(row);
        ref var first = ref MemoryMarshal.GetArrayDataReference(nodes);
        ref var node = ref Unsafe.Add(ref first, index);
        // NaN <= t is false: a missing value goes to the false branch unless the node tracks missing values (LightGBM's
        // exports do), and only a value that fails the comparison is checked for that.
        while (node.Mode != Leaf)
        {
            var v = Unsafe.Add(ref x, node.Feature);
            index = v <= node.Threshold || (node.MissingTrue && float.IsNaN(v)) ? node.True : node.False;
            node = ref Unsafe.Add(ref first, index);
        }

        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int LeafAny(int index, ReadOnlySpan<float> row)
    {
        ref var x0 = ref MemoryMarshal.GetReference(row);
        ref var first = ref MemoryMarshal.GetArrayDataReference(nodes);
        ref var node = ref Unsafe.Add(ref first, index);
        while (node.Mode != Leaf)
        {
            var x = Unsafe.Add(ref x0, node.Feature);
            var t = node.Threshold;
            var branch = node.Mode switch
            {
                Leq => x <= t,
                Lt => x < t,
                Gte => x >= t,
                Gt => x > t,
                Eq => x == t,
                _ => x != t,
            } || (node.MissingTrue && float.IsNaN(x));
            index = branch ? node.True : node.False;
            node = ref Unsafe.Add(ref first, index);
        }

        return index;
    }

    private static bool Acyclic(byte[] mode, int[] trueNext, int[] falseNext)
    {
        // Kahn's algorithm: branches may share a subtree (the categorical-split chains do), but never loop back.
        var incoming = new int[mode.Length];
        for (var i = 0; i < mode.Length; i++)
        {
            if (mode[i] == Leaf) continue;
            incoming[trueNext[i]]++;
            incoming[falseNext[i]]++;
        }

        var ready = new Stack<int>(Enumerable.Range(0, mode.Length).Where(i => incoming[i] == 0));
        var done = 0;
        while (ready.Count > 0)
        {
            var node = ready.Pop();
            done++;
            if (mode[node] == Leaf) continue;
            if (--incoming[trueNext[node]] == 0) ready.Push(trueNext[node]);
            if (--incoming[falseNext[node]] == 0) ready.Push(falseNext[node]);
        }

        return done == mode.Length;
    }

    private readonly record struct Node(int Feature, float Threshold, int True, int False, byte Mode, bool MissingTrue);

    private static TreeEnsembleEvaluator? Fail(string why, out string reason)
    {
        reason = why;
        return null;
    }
}
