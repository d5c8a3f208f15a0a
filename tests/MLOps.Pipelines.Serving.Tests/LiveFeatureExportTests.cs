using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>The live inputs exported for a Monitor stage: a CSV in the raw schema that Ingest reads back, and the features' summaries.</summary>
public sealed class LiveFeatureExportTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public async Task The_live_sample_is_a_raw_schema_csv_that_ingest_reads_back_row_for_row()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory], o => o with { LiveSampleRows = 20 });
        var golden = Records.Golden(model.ModelDirectory);
        (await server.PostAsync("/predict", new JsonArray(golden.Records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString())).Status.ShouldBe(200);
        (await server.PostAsync("/predict", golden.Records[0].ToJsonString())).Status.ShouldBe(200);

        var csv = await server.Client.GetStringAsync("/live/customer-churn/sample.csv");
        var path = Path.Combine(model.Root, "live-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
        await File.WriteAllTextAsync(path, csv);
        var schema = model.Definition.Schema;
        var unlabelled = schema with { Columns = [.. schema.Columns.Where(c => c.Name != schema.Label)], Label = null };
        var ingested = IngestStage.Run(path, unlabelled, Path.Combine(model.Root, "live-ingested-" + Guid.NewGuid().ToString("N")[..8]));

        csv.Split('\n')[0].Split(',').ShouldBe(unlabelled.Columns.Select(c => c.Name));
        ingested.Quality.RowsRead.ShouldBe(20); // the reservoir holds at most 20 of the 33 rows seen
        ingested.Quality.RowsRejected.ShouldBe(0);

        // The summary is the ML library's feature-summaries format, read by the same code Monitor reads it with.
        using var response = await server.Client.GetAsync("/live/customer-churn/summary");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var profile = FeatureSummaryFile.Parse(await response.Content.ReadAsStringAsync(), "summary");
        var seen = golden.Records.Count + 1;
        profile.Rows.ShouldBe(seen);
        profile.Features.ShouldBe(model.Definition.Spec.Features, ignoreOrder: true);
        var tenure = profile.Numeric["tenure"];
        tenure.IsBinned.ShouldBeFalse();
        (tenure.Total + tenure.Missing).ShouldBe(seen);
        var first = golden.Records[0]["tenure"]!.GetValue<long>();
        tenure.Counts[tenure.Points.ToList().IndexOf(first)].ShouldBe(1 + golden.Records.Count(r => r["tenure"]!.GetValue<long>() == first));
        profile.Categorical["contract"].Total.ShouldBe(seen);
        profile.Numeric["total_charges"].Missing.ShouldBe(golden.Records.Count(r => r["total_charges"] is null));
        (await server.GetAsync("/live/no-such-model/summary")).Status.ShouldBe(404);
    }
}
