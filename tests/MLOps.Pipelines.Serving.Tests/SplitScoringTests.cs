using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Scoring;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// The churn model's encoding nodes run in managed code and only its trees in ONNX Runtime: the probabilities equal
/// the whole graph's in ONNX Runtime on real rows, missing values and unseen categories included.
/// </summary>
public sealed class SplitScoringTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public void Managed_encoders_with_the_trees_in_onnx_runtime_score_as_the_whole_graph()
    {
        using var split = Load(wholeGraph: false, treesInOnnxRuntime: true);
        using var whole = Load(wholeGraph: true);
        split.ScoringPath.ShouldContain("encoding nodes in managed code");
        whole.ScoringPath.ShouldContain("whole graph in ONNX Runtime");

        // Every ingested row (real data, 11 missing total_charges), then every golden record with each categorical
        // field unseen and with every nullable field missing.
        var rows = Records.Ingested(model.Definition.Schema, model.IngestedData);
        var schema = model.Definition.Schema;
        var variants = Records.UnseenAndMissingVariants(model.ModelDirectory, schema);
        foreach (var batch in new[] { rows, variants })
        {
            var expected = whole.Predict(batch, observe: false).Probabilities;
            var actual = split.Predict(batch, observe: false).Probabilities;
            actual.Length.ShouldBe(batch.RowCount);
            for (var i = 0; i < expected.Length; i++) actual[i].ShouldBe(expected[i], 1e-6, $"row {i}");
        }
    }

    [Fact]
    public void The_cut_graph_holds_only_the_nodes_after_the_feature_vector()
    {
        var bytes = File.ReadAllBytes(Path.Combine(model.ModelDirectory, ServedModel.OnnxFile));
        var graph = OnnxGraph.Read(bytes);
        var text = graph.Inputs.ToDictionary(n => n, n => model.Definition.Spec.Categorical.Contains(n), StringComparer.Ordinal);

        var encoder = FeatureVectorEncoder.Compile(graph, text, out var rest, out var reason);

        encoder.ShouldNotBeNull(reason);
        var cut = OnnxGraph.Read(OnnxGraph.Cut(bytes, rest, encoder.Output, encoder.Width));
        cut.Inputs.ShouldBe([encoder.Output]);
        cut.Outputs.ShouldBe(graph.Outputs);
        cut.Nodes.ShouldContain(n => n.OpType == "TreeEnsembleRegressor");
        cut.Nodes.ShouldNotContain(n => n.OpType == "LabelEncoder" || n.OpType == "OneHotEncoder" || n.OpType == "FeatureVectorizer");
        // 9 numbers + 10 one-hot categoricals (3 slots each, 4 for the payment method).
        encoder.Width.ShouldBe(40);
    }

    private ServedModel Load(bool wholeGraph, bool treesInOnnxRuntime = false)
    {
        var served = ServedModel.Open(model.ModelDirectory, ChurnModelFixture.Resolve, new ServerMetrics(), wholeGraphInOnnxRuntime: wholeGraph, treesInOnnxRuntime: treesInOnnxRuntime);
        served.Load();
        served.Status.ShouldBe(ModelStatus.Ready, served.Failure);
        return served;
    }
}
