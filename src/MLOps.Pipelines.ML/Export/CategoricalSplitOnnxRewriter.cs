using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace MLOps.Pipelines.ML.Export;

/// <summary>
/// ML.NET 5 writes a LightGBM categorical split as a tree node with feature id -1, which ONNX Runtime refuses
/// ("nodes_featureids[0]=-1 must be in [0, 2147483647] for non-leaf nodes"). The split means "go right when any of
/// these one-hot slots is &gt; 0", so this class rebuilds the tree-ensemble node's tables from the trained trees,
/// expanding each categorical split into a chain of BRANCH_GT tests on its slots — exact for one-hot inputs.
/// </summary>
internal static class CategoricalSplitOnnxRewriter
{
    private const string TreeEnsembleOp = "TreeEnsembleRegressor";

    /// <summary>The trees of a tree-ensemble model chain, or null for a linear model.</summary>
    public static RegressionTreeEnsemble? Trees(ITransformer transformer)
    {
        var last = transformer is IEnumerable<ITransformer> chain ? chain.LastOrDefault() : transformer;
        if (last is not IPredictionTransformer<object> prediction) return null;
        var model = prediction.Model;
        // Calibrated models wrap the trees; SubModel is public on the generic calibrated type only.
        // (declared on the generic base and re-declared with `new` on derived types: take whichever holds the trees).
        var inner = model.GetType().GetProperties().Where(p => p.Name == "SubModel").Select(p => p.GetValue(model)).Append(model)
            .OfType<TreeEnsembleModelParametersBasedOnRegressionTree>().FirstOrDefault();
        return inner?.TrainedTreeEnsemble;
    }

    public static bool HasCategoricalSplits(RegressionTreeEnsemble trees) =>
        trees.Trees.Any(t => t.CategoricalSplitFlags.Any(f => f));

    /// <summary>Returns the ONNX model bytes with the single tree-ensemble node's tables rebuilt from the trees.</summary>
    public static byte[] Rewrite(byte[] onnxModel, RegressionTreeEnsemble ensemble)
    {
        var table = Build(ensemble);
        var found = 0;
        // ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type = 4, NodeProto.attribute = 5.
        var result = ProtobufWire.RewriteField(onnxModel, 7, graph => ProtobufWire.RewriteField(graph, 1, node =>
        {
            if (ProtobufWire.ReadString(node, 4) != TreeEnsembleOp) return node;
            found++;
            return ProtobufWire.RewriteField(node, 5, attribute => ProtobufWire.ReadString(attribute, 1) switch
            {
                // Optional in the operator; they would not line up with the rebuilt nodes.
                "nodes_hitrates" or "nodes_missing_value_tracks_true" => null,
                "nodes_treeids" => OnnxWire.Ints("nodes_treeids", table.TreeIds),
                "nodes_nodeids" => OnnxWire.Ints("nodes_nodeids", table.NodeIds),
                "nodes_featureids" => OnnxWire.Ints("nodes_featureids", table.FeatureIds),
                "nodes_values" => OnnxWire.Floats("nodes_values", table.Values),
                "nodes_modes" => OnnxWire.Strings("nodes_modes", table.Modes),
                "nodes_truenodeids" => OnnxWire.Ints("nodes_truenodeids", table.TrueIds),
                "nodes_falsenodeids" => OnnxWire.Ints("nodes_falsenodeids", table.FalseIds),
                "target_treeids" => OnnxWire.Ints("target_treeids", table.TargetTreeIds),
                "target_nodeids" => OnnxWire.Ints("target_nodeids", table.TargetNodeIds),
                "target_ids" => OnnxWire.Ints("target_ids", table.TargetTreeIds.Select(_ => 0L).ToList()),
                "target_weights" => OnnxWire.Floats("target_weights", table.TargetWeights),
                _ => attribute,
            });
        }));
        if (found != 1)
        {
            throw new InvalidOperationException($"Expected one {TreeEnsembleOp} node in the exported graph, found {found}.");
        }

        return result;
    }

    private sealed class Table
    {
        public List<long> TreeIds { get; } = [];
        public List<long> NodeIds { get; } = [];
        public List<long> FeatureIds { get; } = [];
        public List<float> Values { get; } = [];
        public List<string> Modes { get; } = [];
        public List<long> TrueIds { get; } = [];
        public List<long> FalseIds { get; } = [];
        public List<long> TargetTreeIds { get; } = [];
        public List<long> TargetNodeIds { get; } = [];
        public List<float> TargetWeights { get; } = [];

        public void Node(long tree, long id, long feature, float value, string mode, long whenTrue, long whenFalse)
        {
            TreeIds.Add(tree); NodeIds.Add(id); FeatureIds.Add(feature); Values.Add(value); Modes.Add(mode);
            TrueIds.Add(whenTrue); FalseIds.Add(whenFalse);
        }
    }

    private static Table Build(RegressionTreeEnsemble ensemble)
    {
        var table = new Table();
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var weight = ensemble.TreeWeights[t];
            var internalNodes = tree.NumberOfNodes;
            // Ids: internal nodes 0..n-1, then leaves, then the extra links of categorical chains (ids must be dense).
            long Id(int child) => child >= 0 ? child : internalNodes + ~child;
            long next = internalNodes + tree.NumberOfLeaves;
            for (var node = 0; node < internalNodes; node++)
            {
                long left = Id(tree.LeftChild[node]), right = Id(tree.RightChild[node]);
                if (!tree.CategoricalSplitFlags[node])
                {
                    table.Node(t, node, tree.NumericalSplitFeatureIndexes[node], tree.NumericalSplitThresholds[node], "BRANCH_LEQ", left, right);
                    continue;
                }

                var slots = tree.GetCategoricalSplitFeaturesAt(node);
                long id = node;
                for (var k = 0; k < slots.Count; k++)
                {
                    var last = k == slots.Count - 1;
                    var otherwise = last ? left : next;
                    table.Node(t, id, slots[k], 0f, "BRANCH_GT", right, otherwise);
                    if (!last) id = next++;
                }
            }

            for (var leaf = 0; leaf < tree.NumberOfLeaves; leaf++)
            {
                var id = internalNodes + leaf;
                table.Node(t, id, 0, 0f, "LEAF", 0, 0);
                table.TargetTreeIds.Add(t);
                table.TargetNodeIds.Add(id);
                table.TargetWeights.Add((float)(tree.LeafValues[leaf] * weight));
            }
        }

        // ONNX Runtime looks nodes up by id, but keep the listing in id order per tree for readers of the graph.
        return Sorted(table);
    }

    private static Table Sorted(Table table)
    {
        var order = Enumerable.Range(0, table.NodeIds.Count).OrderBy(i => table.TreeIds[i]).ThenBy(i => table.NodeIds[i]).ToArray();
        var sorted = new Table();
        foreach (var i in order)
        {
            sorted.Node(table.TreeIds[i], table.NodeIds[i], table.FeatureIds[i], table.Values[i], table.Modes[i], table.TrueIds[i], table.FalseIds[i]);
        }

        sorted.TargetTreeIds.AddRange(table.TargetTreeIds);
        sorted.TargetNodeIds.AddRange(table.TargetNodeIds);
        sorted.TargetWeights.AddRange(table.TargetWeights);
        return sorted;
    }
}
