using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Scoring;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// The whole graph in managed code (encoders, tree ensembles, calibration or class normalisation): chosen for the churn
/// (binary) and penguins (multiclass) models, equal to ONNX Runtime's whole graph on real rows with missing values and
/// unseen categories; a graph with an attribute it cannot run falls back to the trees in ONNX Runtime, with the reason.
/// </summary>
public sealed class ManagedScoringTests(ChurnModelFixture churn, PenguinsModelFixture penguins) : IClassFixture<ChurnModelFixture>, IClassFixture<PenguinsModelFixture>
{
    [Fact]
    public void The_churn_model_runs_in_managed_code_and_scores_as_the_whole_graph_in_onnx_runtime()
    {
        using var managed = Load(churn.ModelDirectory);
        managed.ScoringPath.ShouldStartWith("whole graph in managed code");
        managed.ScoringPath.ShouldContain("TreeEnsembleRegressor");
        using var whole = Load(churn.ModelDirectory, wholeGraph: true);

        ShouldScoreAlike(managed, whole, churn.Definition, churn.IngestedData, churn.ModelDirectory);
    }

    [Fact]
    public void The_penguins_model_runs_in_managed_code_and_scores_as_the_whole_graph_in_onnx_runtime()
    {
        using var managed = Load(penguins.ModelDirectory);
        managed.ScoringPath.ShouldStartWith("whole graph in managed code");
        managed.ScoringPath.ShouldContain("3× TreeEnsembleRegressor");
        managed.Classes.ShouldNotBeNull().Count.ShouldBe(3);
        using var whole = Load(penguins.ModelDirectory, wholeGraph: true);

        ShouldScoreAlike(managed, whole, penguins.Definition, penguins.IngestedData, penguins.ModelDirectory);
    }

    [Fact]
    public void A_graph_with_an_attribute_managed_code_cannot_run_falls_back_to_the_trees_in_onnx_runtime_with_the_reason()
    {
        // SOFTMAX_ZERO on a one-target regressor leaves ONNX Runtime's scores unchanged; the managed evaluator refuses it.
        var directory = churn.CopyModelDirectory("churn-softmax-zero");
        var onnx = Path.Combine(directory, ServedModel.OnnxFile);
        File.WriteAllBytes(onnx, WithTreeAttribute(File.ReadAllBytes(onnx), "post_transform", "SOFTMAX_ZERO"));
        GoldenRecordsWriter.Write(onnx, churn.Definition.Schema, churn.Definition.Features, churn.IngestedData, Path.Combine(directory, GoldenRecords.FileName));

        using var served = Load(directory);

        served.ScoringPath.ShouldContain("encoding nodes in managed code");
        served.ScoringPath.ShouldContain("post_transform SOFTMAX_ZERO is not supported");
        using var whole = Load(directory, wholeGraph: true);
        ShouldScoreAlike(served, whole, churn.Definition, churn.IngestedData, directory);
    }

    [Fact]
    public void Trees_in_onnx_runtime_can_be_asked_for()
    {
        using var served = Load(churn.ModelDirectory, treesInOnnxRuntime: true);

        served.ScoringPath.ShouldContain("nodes in ONNX Runtime");
        served.ScoringPath.ShouldContain("trees in ONNX Runtime (asked for)");
    }

    [Fact]
    public void The_compiled_encoder_writes_the_feature_vector_onnx_runtime_computes_bit_for_bit()
    {
        foreach (var (definition, ingested, directory) in new[] { (churn.Definition, churn.IngestedData, churn.ModelDirectory), (penguins.Definition, penguins.IngestedData, penguins.ModelDirectory) })
        {
            var bytes = File.ReadAllBytes(Path.Combine(directory, ServedModel.OnnxFile));
            var graph = OnnxGraph.Read(bytes);
            var text = graph.Inputs.ToDictionary(n => n, n => definition.Spec.Categorical.Contains(n), StringComparer.Ordinal);
            var encoder = FeatureVectorEncoder.Compile(graph, text, out _, out var reason).ShouldNotBeNull(reason);
            using var vectorInOrt = new OnnxScorer(OnnxGraph.WithOutput(bytes, encoder.Output, encoder.Width), encoder.Output, "the feature vector");
            var raw = Records.Ingested(definition.Schema, ingested, 2_000);
            var features = RawFeatureRows.Compute(definition.Features, RawFeatureRows.Chunk(definition.Schema, raw.Columns, raw.RowCount));
            // Rows with an unseen category and a missing number besides the data set's own.
            var probe = ProbeRows.WithMissingAndUnseen(features, raw.RowCount, text);

            var expected = vectorInOrt.Score(probe.Features, probe.Rows);
            var destination = Enumerable.Repeat(float.NaN, (probe.Rows * encoder.Width) + 5).ToArray();
            encoder.Encode(probe.Features, probe.Rows, destination);

            expected.Length.ShouldBe(probe.Rows * encoder.Width);
            for (var i = 0; i < expected.Length; i++)
                BitConverter.SingleToInt32Bits(destination[i]).ShouldBe(BitConverter.SingleToInt32Bits(expected[i]), $"{definition.Name}: row {i / encoder.Width} slot {i % encoder.Width}");
            float.IsNaN(destination[expected.Length]).ShouldBeTrue("only the rows' part is written");
        }
    }

    [Theory]
    [InlineData("aggregate_function", "AVERAGE")]
    [InlineData("aggregate_function", "MIN")]
    [InlineData("aggregate_function", "MAX")]
    [InlineData("post_transform", "LOGISTIC")]
    [InlineData("nodes_modes", "BRANCH_LEQ→BRANCH_LT, BRANCH_GT→BRANCH_GTE")]
    [InlineData("nodes_modes", "BRANCH_LEQ→BRANCH_GT, BRANCH_GT→BRANCH_LEQ")]
    [InlineData("nodes_modes", "BRANCH_LEQ→BRANCH_NEQ, BRANCH_GT→BRANCH_EQ")]
    public void The_tree_evaluator_follows_onnx_runtime_for_each_aggregate_post_transform_and_mode(string attribute, string value)
    {
        // The churn graph edited (the model means something else, but ONNX Runtime runs it): managed code must still agree.
        var bytes = File.ReadAllBytes(Path.Combine(churn.ModelDirectory, ServedModel.OnnxFile));
        var modes = value.Split(", ").Select(m => m.Split('→')).ToDictionary(m => m[0], m => m[^1]);
        var edited = attribute == "nodes_modes"
            ? WithTreeAttribute(bytes, attribute, value, m => modes.GetValueOrDefault(m, m))
            : WithTreeAttribute(bytes, attribute, value);
        using var whole = new OnnxScorer(edited, "Probability.output", $"churn with {attribute} {value}");
        var definition = churn.Definition;
        var raw = Records.Ingested(definition.Schema, churn.IngestedData, 2_000);
        var features = RawFeatureRows.Compute(definition.Features, RawFeatureRows.Chunk(definition.Schema, raw.Columns, raw.RowCount));

        using var managed = ManagedOnnxScorer.TryCreate(whole, edited, "Probability.output", features, raw.RowCount, out var reason);

        managed.ShouldNotBeNull(reason);
        var expected = whole.Score(features, raw.RowCount);
        var actual = managed.Score(features, raw.RowCount);
        for (var i = 0; i < expected.Length; i++) actual[i].ShouldBe(expected[i], 1e-6, $"row {i}");
        expected.Distinct().Count().ShouldBeGreaterThan(10, "the edited model still separates rows");
    }

    private static void ShouldScoreAlike(ServedModel actualModel, ServedModel expectedModel, PipelineDefinition definition, string ingested, string modelDirectory)
    {
        // The data set's first 2,000 rows as they are (missing values included), then every golden record with each
        // categorical field unseen and with every nullable field missing.
        var schema = definition.Schema;
        var variants = Records.UnseenAndMissingVariants(modelDirectory, schema);
        var checkedValues = 0;
        foreach (var batch in new[] { Records.Ingested(schema, ingested, 2_000), variants })
        {
            var expected = expectedModel.Predict(batch, observe: false).Probabilities;
            var actual = actualModel.Predict(batch, observe: false).Probabilities;
            actual.Length.ShouldBe(expected.Length);
            for (var i = 0; i < expected.Length; i++) actual[i].ShouldBe(expected[i], 1e-6, $"value {i}");
            checkedValues += expected.Length;
        }

        checkedValues.ShouldBeGreaterThan(300);
    }

    private static ServedModel Load(string directory, bool wholeGraph = false, bool treesInOnnxRuntime = false)
    {
        var served = ServedModel.Open(directory, ChurnModelFixture.Resolve, new ServerMetrics(), wholeGraphInOnnxRuntime: wholeGraph, treesInOnnxRuntime: treesInOnnxRuntime);
        served.Load();
        served.Status.ShouldBe(ModelStatus.Ready, served.Failure);
        return served;
    }

    /// <summary>The model with the tree ensemble's attribute <paramref name="name"/> set to <paramref name="value"/> (a string, or every string of a list).</summary>
    private static byte[] WithTreeAttribute(byte[] model, string name, string value, Func<string, string>? eachString = null)
    {
        // ModelProto.graph 7, GraphProto.node 1, NodeProto.op_type 4 / attribute 5;
        // AttributeProto: name 1, s 4, strings 9, type 20 (STRING = 3, STRINGS = 8).
        var found = 0;
        var result = ProtobufWire.RewriteField(model, 7, graph => ProtobufWire.RewriteField(graph, 1, node =>
            ProtobufWire.ReadString(node, 4) != "TreeEnsembleRegressor" ? node : ProtobufWire.RewriteField(node, 5, attribute =>
            {
                if (ProtobufWire.ReadString(attribute, 1) != name) return attribute;
                found++;
                using var output = new MemoryStream();
                ProtobufWire.WriteLengthDelimited(output, 1, Encoding.UTF8.GetBytes(name));
                if (eachString is null)
                {
                    ProtobufWire.WriteLengthDelimited(output, 4, Encoding.UTF8.GetBytes(value));
                    output.Write([0xA0, 0x01, 0x03]);
                }
                else
                {
                    foreach (var old in ProtobufWire.LengthDelimitedFields(attribute, 9))
                        ProtobufWire.WriteLengthDelimited(output, 9, Encoding.UTF8.GetBytes(eachString(Encoding.UTF8.GetString(old))));
                    output.Write([0xA0, 0x01, 0x08]);
                }

                return output.ToArray();
            })));
        found.ShouldBe(1);
        return result;
    }
}
