using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>Ready only after the model loaded and reproduced the offline golden probabilities; otherwise live but not ready.</summary>
public sealed class ReadinessTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public async Task A_golden_probability_off_by_more_than_the_tolerance_keeps_the_model_unready()
    {
        var directory = model.CopyModelDirectory("customer-churn");
        var golden = Records.Golden(directory);
        var expected = golden.Expected.Select(e => e.ToArray()).ToList();
        expected[3][0] += 2e-5f;
        File.WriteAllText(Path.Combine(directory, GoldenRecords.FileName), (golden with { Expected = expected }).ToJson());

        await using var server = await RunningServer.StartAsync([directory]);

        (await server.GetAsync("/v2/health/live")).Status.ShouldBe(200);
        var (status, body) = await server.GetAsync("/v2/health/ready");
        status.ShouldBe(400);
        body!["models"]!["customer-churn"]!.GetValue<string>().ShouldContain("self-check failed: golden record 3");
        (await server.GetAsync("/v2/models/customer-churn/ready")).Status.ShouldBe(400);
        var (inferStatus, error) = await server.PostAsync("/predict", Records.Complete(directory).ToJsonString());
        inferStatus.ShouldBe(503);
        error!["error"]!.GetValue<string>().ShouldContain("not ready");
        (await server.MetricsAsync()).ShouldContain("mlops_model_ready{model=\"customer-churn\"} 0");
    }

    [Fact]
    public async Task Golden_records_of_another_model_file_or_none_at_all_keep_it_unready()
    {
        var other = model.CopyModelDirectory("customer-churn");
        var golden = Records.Golden(other);
        File.WriteAllText(Path.Combine(other, GoldenRecords.FileName), (golden with { OnnxSha256 = new string('0', 64) }).ToJson());
        var missing = model.CopyModelDirectory("customer-churn-2");
        File.Delete(Path.Combine(missing, GoldenRecords.FileName));

        await using var server = await RunningServer.StartAsync([other, missing]);

        var (status, body) = await server.GetAsync("/v2/health/ready");
        status.ShouldBe(400);
        body!["models"]!["customer-churn"]!.GetValue<string>().ShouldContain("another model.onnx");
        body["models"]!["customer-churn-2"]!.GetValue<string>().ShouldContain("golden.json: missing");
    }

    [Fact]
    public void A_model_directory_whose_features_changed_since_training_is_refused_at_start()
    {
        var directory = model.CopyModelDirectory("customer-churn");
        var manifest = ServingManifest.Read(directory);
        (manifest with { Features = [.. manifest.Features.Skip(1)] }).Write(directory);

        var error = Should.Throw<InvalidDataException>(() => Http.ModelServer.Create(new ServerOptions
        {
            ModelDirectories = [directory],
            ResolvePipeline = ChurnModelFixture.Resolve,
        }));

        error.Message.ShouldContain("now defines");
    }

    [Fact]
    public void Golden_records_are_raw_rows_with_the_label_left_out_and_include_missing_values()
    {
        var golden = Records.Golden(model.ModelDirectory);

        golden.Records.Count.ShouldBe(GoldenRecordsWriter.DefaultCount);
        golden.Records.ShouldAllBe(r => !r.ContainsKey("churn"));
        golden.Records.ShouldContain(r => r["total_charges"] == null); // the data's 11 first-month customers
        golden.Expected.ShouldAllBe(e => e.Length == 1 && e[0] >= 0 && e[0] <= 1);
        golden.Output.ShouldBe(OnnxExporter.ProbabilityOutput);
        JsonNode.Parse(File.ReadAllText(Path.Combine(model.ModelDirectory, GoldenRecords.FileName)))!["format"]!.GetValue<string>().ShouldBe(GoldenRecords.Format);
    }
}
