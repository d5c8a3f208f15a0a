using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Stages;
using Pipelines.Penguins;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// A multiclass model (penguin species from the real penguins data, ML.NET SDCA maximum entropy exported to ONNX,
/// whose <c>Score.output</c> is the class-probability vector): label, its probability and every class's probability.
/// </summary>
public sealed class MulticlassTests : IDisposable
{
    private static readonly string[] Numeric = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
    private readonly TemporaryDirectory root = new("mlops-serving-multiclass-");

    // The pipeline's schema with species as the label; the features are FeatureColumn code, as in a pipeline.
    private static readonly SchemaContract Schema = PenguinsPipeline.Definition.Schema with { Label = "species" };
    private static readonly FeatureDefinition Features = new(
    [
        .. Numeric.Select(n => FeatureColumn.Numeric(n)),
        FeatureColumn.Categorical("island"),
        FeatureColumn.Label("adelie", chunk => Array.ConvertAll(chunk.Strings("species"), s => s is null ? (bool?)null : s == "Adelie")),
    ]);

    [Fact]
    public async Task Predict_and_infer_answer_the_label_its_probability_and_every_class_probability()
    {
        var ingest = IngestStage.Run(RepositoryFiles.Data(PenguinsPipeline.Definition.RawFile), Schema, Path.Combine(root.Path, "ingested"));
        var data = ParquetTable.ReadDataFrame(ingest.DataPath);
        var frame = new DataFrame(
        [
            .. Numeric.Select(n => (DataFrameColumn)new PrimitiveDataFrameColumn<float>(n, Enumerable.Range(0, (int)data.Rows.Count).Select(i => data.Columns[n][i] is { } v ? Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture) : float.NaN))),
            new StringDataFrameColumn("island", Enumerable.Range(0, (int)data.Rows.Count).Select(i => data.Columns["island"][i]?.ToString())),
            new StringDataFrameColumn("species", Enumerable.Range(0, (int)data.Rows.Count).Select(i => data.Columns["species"][i]?.ToString())),
        ]);
        var ml = new MLContext(seed: 1);
        // The label's key mapping stays out of the exported model: serving has no species to map.
        var labels = ml.Transforms.Conversion.MapValueToKey("Label", "species").Fit(frame);
        var model = ml.Transforms.Concatenate("Numeric", Numeric)
            .Append(ml.Transforms.ReplaceMissingValues("Numeric", replacementMode: Microsoft.ML.Transforms.MissingValueReplacingEstimator.ReplacementMode.Mean))
            .Append(ml.Transforms.Categorical.OneHotEncoding("IslandHot", "island"))
            .Append(ml.Transforms.Concatenate("Features", "Numeric", "IslandHot"))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1, MaximumNumberOfIterations = 50 }))
            .Fit(labels.Transform(frame));
        var directory = Path.Combine(root.Path, "penguin-species");
        Directory.CreateDirectory(directory);
        var onnx = Path.Combine(directory, "model.onnx");
        var featuresOnly = frame.Columns.Where(c => c.Name != "species").ToList();
        using (var file = File.Create(onnx)) ml.Model.ConvertToOnnx(model, new DataFrame(featuresOnly), file, "Score");
        VBuffer<ReadOnlyMemory<char>> keys = default;
        labels.GetOutputSchema(((IDataView)frame).Schema)["Label"].GetKeyValues(ref keys);
        var classes = keys.DenseValues().Select(k => k.ToString()).ToList();
        GoldenRecordsWriter.Write(onnx, Schema, Features, ingest.DataPath, Path.Combine(directory, GoldenRecords.FileName), output: "Score.output");
        new ServingManifest("penguin-species", "1", "PenguinSpecies", Schema.Name, ServingManifest.FeatureIdentity(Features), classes).Write(directory);

        await using var server = await RunningServer.StartAsync([directory], o => o with { ResolvePipeline = _ => new PipelineFeatures(Schema, Features) });
        var ready = await server.GetAsync("/v2/health/ready");
        ready.Status.ShouldBe(200, ready.Body?.ToJsonString());
        var golden = Records.Golden(directory);

        var (status, body) = await server.PostAsync("/predict", new JsonArray(golden.Records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString());

        status.ShouldBe(200, body?.ToJsonString());
        var predictions = body!["predictions"]!.AsArray();
        for (var i = 0; i < predictions.Count; i++)
        {
            var expected = golden.Expected[i];
            var best = Array.IndexOf(expected, expected.Max());
            predictions[i]!["label"]!.GetValue<string>().ShouldBe(classes[best]);
            predictions[i]!["probability"]!.GetValue<float>().ShouldBe(expected[best], 1e-5);
            var all = predictions[i]!["probabilities"]!.AsObject();
            all.Select(kv => kv.Key).ShouldBe(classes);
            all.Select(kv => kv.Value!.GetValue<float>()).Sum().ShouldBe(1f, 1e-4);
        }

        // The species a record carries is the label here, so it is ignored when sent (like churn's label).
        golden.Records.ShouldAllBe(r => !r.ContainsKey("species"));
        (status, body) = await server.PostAsync("/v2/models/penguin-species/infer", Records.Tensors(golden.Records.Take(2).ToList(), Schema).ToJsonString());
        status.ShouldBe(200, body?.ToJsonString());
        var outputs = body!["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>());
        outputs["probabilities"]!["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ShouldBe([2, 3]);
        outputs["label"]!["datatype"]!.GetValue<string>().ShouldBe("BYTES");
    }

    public void Dispose()
    {
        root.Dispose();
    }
}
