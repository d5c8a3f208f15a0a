using System.Text.Json.Nodes;
using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Training;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Every route of a real server serving a real churn model, on a free loopback port.</summary>
public sealed class ServerRouteTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public async Task Health_metadata_and_readiness_follow_the_inference_protocol()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);

        (await server.GetAsync("/v2/health/live")).Status.ShouldBe(200);
        var ready = await server.GetAsync("/v2/health/ready");
        ready.Status.ShouldBe(200, ready.Body?.ToJsonString());
        (await server.GetAsync($"/v2/models/{ChurnModelFixture.Name}/ready")).Status.ShouldBe(200);
        (await server.GetAsync($"/v2/models/{ChurnModelFixture.Name}/versions/{ChurnModelFixture.Version}/ready")).Status.ShouldBe(200);

        var (status, metadata) = await server.GetAsync($"/v2/models/{ChurnModelFixture.Name}");
        status.ShouldBe(200);
        metadata!["name"]!.GetValue<string>().ShouldBe(ChurnModelFixture.Name);
        metadata["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe([ChurnModelFixture.Version]);
        var inputs = metadata["inputs"]!.AsArray().ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!["datatype"]!.GetValue<string>());
        // One tensor per raw schema field (label excluded), typed as the contract declares.
        inputs.Keys.ShouldBe(model.Definition.Schema.Columns.Select(c => c.Name).Where(n => n != "churn"), ignoreOrder: true);
        inputs["tenure"].ShouldBe("INT64");
        inputs["monthly_charges"].ShouldBe("FP64");
        inputs["contract"].ShouldBe("BYTES");
        metadata["outputs"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()).ShouldBe(["probability", "label"]);

        (await server.GetAsync("/v2/models/no-such-model")).Status.ShouldBe(404);
        (await server.GetAsync($"/v2/models/{ChurnModelFixture.Name}/versions/999")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Infer_and_predict_reproduce_the_offline_probabilities_of_the_golden_records()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        var golden = Records.Golden(model.ModelDirectory);

        var (status, body) = await server.PostAsync($"/v2/models/{ChurnModelFixture.Name}/infer", Records.Tensors(golden.Records, model.Definition.Schema).ToJsonString());
        status.ShouldBe(200, body?.ToJsonString());
        body!["model_version"]!.GetValue<string>().ShouldBe(ChurnModelFixture.Version);
        body["id"]!.GetValue<string>().ShouldBe("req-1");
        var probability = body["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "probability")!;
        probability["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ShouldBe([golden.Records.Count]);
        var served = probability["data"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        for (var i = 0; i < served.Length; i++) served[i].ShouldBe(golden.Expected[i][0], 1e-5);
        var labels = body["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "label")!["data"]!.AsArray().Select(v => v!.GetValue<bool>()).ToArray();
        labels.ShouldBe(served.Select(p => p >= 0.5f).ToArray());

        var batch = new JsonArray(golden.Records.Select(r => (JsonNode?)r.DeepClone()).ToArray());
        (status, body) = await server.PostAsync("/predict", batch.ToJsonString());
        status.ShouldBe(200, body?.ToJsonString());
        var predictions = body!["predictions"]!.AsArray();
        predictions.Count.ShouldBe(golden.Records.Count);
        for (var i = 0; i < predictions.Count; i++)
        {
            predictions[i]!["probability"]!.GetValue<float>().ShouldBe(golden.Expected[i][0], 1e-5);
            predictions[i]!["model_version"]!.GetValue<string>().ShouldBe(ChurnModelFixture.Version);
        }

        // One record as a bare object, addressed by name.
        (status, body) = await server.PostAsync($"/predict/{ChurnModelFixture.Name}", golden.Records[0].ToJsonString());
        status.ShouldBe(200);
        body!["predictions"]!.AsArray().Single()!["probability"]!.GetValue<float>().ShouldBe(golden.Expected[0][0], 1e-5);
    }

    [Fact]
    public async Task An_unseen_category_is_scored_as_mlnet_scores_it_and_counted()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        var record = Records.Complete(model.ModelDirectory, r => r["payment_method"] = "Bitcoin");

        var (status, body) = await server.PostAsync("/predict", record.ToJsonString());

        status.ShouldBe(200, body?.ToJsonString());
        var served = body!["predictions"]!.AsArray().Single()!["probability"]!.GetValue<float>();
        // ML.NET's own engine on the same row: churn's features are the raw fields (numbers as float32).
        var trained = TrainedModel.Load(model.ModelZip);
        var frame = new DataFrame(trained.InputSchema.Select(c => c.Type.RawType == typeof(float)
            ? (DataFrameColumn)new PrimitiveDataFrameColumn<float>(c.Name, [record[c.Name]!.GetValue<float>()])
            : new StringDataFrameColumn(c.Name, [record[c.Name]!.GetValue<string>()])));
        served.ShouldBe(trained.PredictProbabilities(frame)[0], 1e-5);
        (await server.MetricsAsync()).ShouldContain("mlops_unseen_categories_total{model=\"customer-churn\",feature=\"payment_method\"} 1");
    }

    [Fact]
    public async Task Several_models_are_served_under_their_registry_names()
    {
        var second = model.CopyModelDirectory("customer-churn-shadow");
        await using var server = await RunningServer.StartAsync([model.ModelDirectory, second]);
        var record = Records.Complete(model.ModelDirectory).ToJsonString();

        (await server.PostAsync("/predict/customer-churn", record)).Status.ShouldBe(200);
        (await server.PostAsync("/predict/customer-churn-shadow", record)).Status.ShouldBe(200);
        (await server.GetAsync("/v2/models/customer-churn-shadow/ready")).Status.ShouldBe(200);
        var (status, body) = await server.PostAsync("/predict", record);
        status.ShouldBe(400);
        body!["error"]!.GetValue<string>().ShouldContain("/predict/{name}");
    }
}
