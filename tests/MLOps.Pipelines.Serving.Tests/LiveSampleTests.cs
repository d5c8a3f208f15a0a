using System.Text;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// The live reservoir sample kept column by column: while it fills (past the first growth steps) every scored record is
/// kept in order, and once full it stays at its capacity, made only of records that were scored.
/// </summary>
public sealed class LiveSampleTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public void The_sample_keeps_every_record_until_full_then_stays_at_capacity()
    {
        var golden = Records.Golden(model.ModelDirectory).Records;
        var schema = model.Definition.Schema;
        // 2,500 records (the golden ones repeated), scored in requests of 100: the reservoir grows past 1,024 and 2,048.
        var records = Enumerable.Range(0, 2_500).Select(i => golden[i % golden.Count]).ToList();
        var expected = CsvLines(records, schema);

        using var filling = Load(3_000);
        Score(filling, records);
        var lines = filling.Live.WriteSampleCsv().TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(1 + records.Count);
        lines.Skip(1).ShouldBe(expected);

        using var full = Load(700);
        Score(full, records);
        var kept = full.Live.WriteSampleCsv().TrimEnd('\n').Split('\n').Skip(1).ToList();
        kept.Count.ShouldBe(700);
        kept.ShouldAllBe(line => expected.Contains(line));
    }

    private ServedModel Load(int sampleRows)
    {
        var served = ServedModel.Open(model.ModelDirectory, ChurnModelFixture.Resolve, new ServerMetrics(), liveSampleRows: sampleRows);
        served.Load();
        served.Status.ShouldBe(ModelStatus.Ready, served.Failure);
        return served;
    }

    private static void Score(ServedModel served, List<JsonObject> records)
    {
        for (var first = 0; first < records.Count; first += 100)
        {
            var body = new JsonArray(records.Skip(first).Take(100).Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString();
            served.Predict(RecordsReader.Read(Encoding.UTF8.GetBytes(body), served.Pipeline.Schema, 1_000));
        }
    }

    /// <summary>The records as the sample's CSV lines: contract order without the label, missing empty, numbers as JSON wrote them.</summary>
    private static List<string> CsvLines(List<JsonObject> records, ML.Data.SchemaContract schema) =>
        [.. records.Select(r => string.Join(',', schema.Columns.Where(c => c.Name != schema.Label).Select(c => r[c.Name] switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var text) => text.Contains(',') ? $"\"{text}\"" : text,
            JsonValue v => v.ToJsonString(),
            var other => other.ToJsonString(),
        })))];
}
