using System.Text.Json;
using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// The default pipeline (FlightDelays) end to end, through the real build program, on a seeded sample of the real
/// flights file (every 50th row: 60,000 rows) in a temporary repository: outputs, incrementality, the gate.
/// </summary>
public sealed class DefaultPipelineTests : IDisposable
{
    static readonly string[] Small = ["--raw-data", "data/flights-sample.parquet", "--leaves", "31", "--threads", "2"];
    static readonly string[] Chain = Of("Ingest", "Prepare", "Train", "Evaluate", "Explain", "Export", "Register", "Report");
    static readonly string[] AfterTrain = Of("Train", "Evaluate", "Explain", "Export", "Register", "Report");

    /// <summary>The FlightDelays instances of stage families: <c>Train</c> → <c>Train@FlightDelays</c>.</summary>
    static string[] Of(params string[] families) => [.. families.Select(f => f + "@FlightDelays")];

    readonly TemporaryDirectory _repository = BuildProgram.NewRepository("mlops-build-e2e-");

    public DefaultPipelineTests()
    {
        _repository.CreateDirectory("data");
        var flights = ParquetTable.ReadDataFrame(RepositoryRoot.Data("flights-3m.parquet"));
        var everyFiftieth = new PrimitiveDataFrameColumn<bool>("keep", Enumerable.Range(0, (int)flights.Rows.Count).Select(i => i % 50 == 0));
        ParquetTable.Write(flights.Filter(everyFiftieth), Path.Combine(_repository.Path, "data", "flights-sample.parquet"));
    }

    string Artifact(string path) => Path.Combine(_repository.Path, "artifacts", "flight-delays", path);

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Ingest_to_Report_runs_then_is_up_to_date_and_a_new_tree_count_reruns_exactly_Train_and_after()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, ["Report@FlightDelays", .. Small, "--trees", "20"]);
        exit.ShouldBe(0, output);
        var first = BuildProgram.Outcomes(output);
        first.Keys.ShouldBe(Chain, ignoreOrder: true);
        first.Values.ShouldAllBe(o => o == "Succeeded", output);

        File.Exists(Artifact("model/model.zip")).ShouldBeTrue();
        using (var metrics = JsonDocument.Parse(await File.ReadAllTextAsync(Artifact("evaluation/metrics.json"))))
        {
            metrics.RootElement.GetProperty("auc").GetDouble().ShouldBeGreaterThan(0.6);
            metrics.RootElement.GetProperty("rows").GetInt64().ShouldBeInRange(11_000, 13_000); // 20 % of 60,000
            metrics.RootElement.GetProperty("groups").TryGetProperty("origin", out _).ShouldBeTrue();
        }
        foreach (var png in new[] { "roc", "precision-recall", "calibration", "score-histogram" })
            (await File.ReadAllBytesAsync(Artifact($"evaluation/{png}.png")))[1..4].ShouldBe("PNG"u8.ToArray());
        File.Exists(Artifact("explain/importance.png")).ShouldBeTrue();
        File.Exists(Artifact("export/model.onnx")).ShouldBeTrue();
        output.ShouldContain("largest absolute probability difference");
        output.ShouldNotContain("Error merging shape info"); // ONNX Runtime logs errors only
        using (var registry = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_repository.Path, "models", "flight-delays", "registry.json"))))
        {
            registry.RootElement.GetProperty("aliases").GetProperty("champion").GetInt32().ShouldBe(1);
            var version = registry.RootElement.GetProperty("versions")[0];
            version.GetProperty("parameters").GetProperty("Trees").GetString().ShouldBe("20");
            version.GetProperty("data").EnumerateObject().Select(p => p.Name).ShouldContain("data/flights-sample.parquet");
        }
        var report = await File.ReadAllTextAsync(Artifact("report/report.html"));
        report.ShouldContain("flight-delays v1");
        report.ShouldContain("data:image/png;base64,");
        var lockText = await File.ReadAllTextAsync(Path.Combine(_repository.Path, "pipelines.lock"));
        lockText.ShouldContain("\"auc\":");

        (exit, output) = await BuildProgram.RunAsync(_repository.Path, ["Report@FlightDelays", .. Small, "--trees", "20"]);
        exit.ShouldBe(0, output);
        BuildProgram.Outcomes(output).Values.ShouldAllBe(o => o == "UpToDate", output);

        (exit, output) = await BuildProgram.RunAsync(_repository.Path, ["Report@FlightDelays", .. Small, "--trees", "21"]);
        exit.ShouldBe(0, output);
        var third = BuildProgram.Outcomes(output);
        third.Where(kv => kv.Value == "Succeeded").Select(kv => kv.Key).ShouldBe(AfterTrain, ignoreOrder: true, output);
        third["Ingest@FlightDelays"].ShouldBe("UpToDate");
        third["Prepare@FlightDelays"].ShouldBe("UpToDate");
        output.ShouldContain("against the previous run:");
        output.ShouldContain("auc "); // the diff table names the metric
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_failing_quality_gate_fails_the_build_with_exit_1_and_keeps_the_previous_metrics()
    {
        var (exit, output) = await BuildProgram.RunAsync(_repository.Path, ["Evaluate@FlightDelays", .. Small, "--trees", "10"]);
        exit.ShouldBe(0, output);
        var before = await File.ReadAllTextAsync(Artifact("evaluation/metrics.json"));

        (exit, output) = await BuildProgram.RunAsync(_repository.Path, ["Evaluate@FlightDelays", .. Small, "--trees", "11", "--gate-threshold", "0.99"]);
        exit.ShouldBe(1, output);
        output.ShouldContain("Quality gate failed: AUC");
        output.ShouldContain("(--gate-threshold). Test metrics: accuracy ");
        (await File.ReadAllTextAsync(Artifact("evaluation/metrics.json"))).ShouldBe(before);
    }

    public void Dispose() => _repository.Dispose();
}
