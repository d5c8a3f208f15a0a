using System.Globalization;
using System.Text;
using System.Text.Json;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>
/// End to end on real rows: raw batches (Parquet and CSV) through the contract, the features and a real LightGBM model
/// trained on the reference sample; the typed result, its alarms, and the JSON and HTML reports.
/// </summary>
[Collection(FlightBatchesCollection.Name)]
public sealed class BatchMonitorTests(FlightBatches batches) : IDisposable
{
    private static readonly SemaphoreSlim ModelLock = new(1, 1);
    private static (string Model, IReadOnlyDictionary<string, double> Metrics)? trained;
    private readonly TemporaryDirectory output = new();

    public void Dispose() => output.Dispose();

    [Fact]
    public async Task A_labelled_later_month_is_scored_against_the_registered_metrics()
    {
        var setup = await SetupAsync();
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, batches.May, setup, output.Path);

        result.Drift.Verdict.ShouldBe("drift: none (0 of 6 features)");
        result.Quality.ShouldNotBeNull().Report.RowsRejected.ShouldBe(0);
        var performance = result.Performance.ShouldNotBeNull();
        performance.Rows.ShouldBe(result.Drift.CurrentRows);
        performance.Registered.ShouldBe(setup.RegisteredMetrics!["auc"]);
        // The time split's lesson: a model of January–April scores May worse than its own months.
        performance.Drop.ShouldBeGreaterThan(0);
        result.Lines()[0].ShouldBe(result.Drift.Verdict);
    }

    [Fact]
    public async Task A_drop_beyond_the_tolerance_is_an_alarm_that_fails_the_build()
    {
        var setup = await SetupAsync();
        var strict = setup with { Performance = new PerformanceOptions("auc", Tolerance: 0) };
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, batches.May, strict, output.Path);

        result.Performance!.Alarm.ShouldBeTrue();
        result.Alarms.ShouldHaveSingleItem().ShouldStartWith("performance: auc");
        result.FailsBuild(failOnDrift: true).ShouldBeTrue();
        result.FailsBuild(failOnDrift: false).ShouldBeFalse();
    }

    [Fact]
    public async Task The_control_sample_raises_no_alarm_at_all()
    {
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, batches.Control, await SetupAsync(), output.Path);
        result.Alarms.ShouldBeEmpty();
        result.Performance!.Drop.ShouldBeLessThan(0.02);
        result.FailsBuild(failOnDrift: true).ShouldBeFalse();
    }

    [Fact]
    public async Task The_shifted_batch_writes_a_report_with_the_verdict_and_a_plot_per_feature()
    {
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, batches.Shifted, await SetupAsync(), output.Path);
        result.FailsBuild(failOnDrift: true).ShouldBeTrue();

        using var json = JsonDocument.Parse(File.ReadAllText(output[MonitorReportWriter.JsonFile]));
        json.RootElement.GetProperty("verdict").GetString().ShouldBe("drift: detected (4 of 6 features)");
        json.RootElement.GetProperty("drift").GetProperty("features").GetArrayLength().ShouldBe(7);
        json.RootElement.GetProperty("performance").GetProperty("metric").GetString().ShouldBe("auc");

        var html = File.ReadAllText(output[MonitorReportWriter.HtmlFile]);
        html.ShouldContain("drift: detected (4 of 6 features)");
        var images = html.Split("src=\"data:image/png;base64,").Skip(1).Select(s => Convert.FromBase64String(s[..s.IndexOf('"')])).ToList();
        images.Count.ShouldBe(7);
        images.ShouldAllBe(png => png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G');
        html.ShouldNotContain("src=\"http");
    }

    [Fact]
    public async Task A_csv_batch_is_checked_against_the_contract_beside_drift()
    {
        var csv = output["batch.csv"];
        var rows = await WriteCsvAsync(batches.Shifted, csv, labelled: true, (i, fields) =>
        {
            if (i % 40 == 0) fields[3] = "XXX";      // an airport the contract does not know: 2.5 % of rows
            if (i == 7) fields[2] = "99999";         // above the declared maximum distance
            if (i == 9) fields[1] = "";              // a missing delay (label)
        });
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, csv, await SetupAsync(), output["out"]);

        var quality = result.Quality.ShouldNotBeNull();
        quality.Report.Format.ShouldBe(TabularFormat.Csv);
        quality.Report.RowsRead.ShouldBe(rows);
        quality.Report.ViolationsByRule[ContractRule.Category].ShouldBe((rows + 39) / 40);
        quality.Report.ViolationsByRule[ContractRule.Range].ShouldBe(1);
        quality.Report.ViolationsByRule[ContractRule.Null].ShouldBe(1);
        quality.NewCategories["origin"].ShouldBe(["XXX"]);
        quality.Alarm.ShouldBeTrue();
        result.Alarms.ShouldContain(a => a.StartsWith("drift: detected", StringComparison.Ordinal));
        result.Alarms.ShouldContain(a => a.StartsWith("data quality:", StringComparison.Ordinal));
        result.Drift.CurrentRows.ShouldBe(quality.Report.RowsAccepted);
        result.Drift.Verdict.ShouldBe("drift: detected (4 of 6 features)");
    }

    [Fact]
    public async Task An_unlabelled_batch_is_monitored_for_drift_without_scoring()
    {
        var csv = output["unlabelled.csv"];
        await WriteCsvAsync(batches.June, csv, labelled: false, (_, _) => { });
        var result = await BatchMonitor.RunAsync(batches.ReferenceProfile, csv, await SetupAsync(), output.Path);

        result.Performance.ShouldBeNull();
        result.Drift.Verdict.ShouldBe("drift: none (0 of 6 features)");
        result.Quality!.Report.RowsRejected.ShouldBe(0);
    }

    [Fact]
    public async Task Batch_kinds_are_told_apart()
    {
        var setup = await SetupAsync();
        (await BatchMonitor.DetectAsync(batches.May, setup)).ShouldBe(BatchKind.Raw);
        (await BatchMonitor.DetectAsync(batches.ReferencePrepared, setup)).ShouldBe(BatchKind.Prepared);
        (await BatchMonitor.DetectAsync(output["x.json"], setup)).ShouldBe(BatchKind.Summaries);
        var prepared = await BatchMonitor.RunAsync(batches.ReferenceProfile, batches.ReferencePrepared, setup, output.Path);
        prepared.Quality.ShouldBeNull();
        prepared.Drift.Verdict.ShouldBe("drift: none (0 of 6 features)");
        prepared.Drift.Features.ShouldAllBe(f => f.Score == 0 || f.Method.EndsWith("p_value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_batch_file_is_a_clear_error()
    {
        var e = await Should.ThrowAsync<FileNotFoundException>(() => BatchMonitor.RunAsync(batches.ReferenceProfile, output["nope.parquet"], new MonitorSetup(FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features), output.Path));
        e.Message.ShouldContain("nope.parquet");
        e.Message.ShouldContain("--batch");
    }

    /// <summary>A small real model: LightGBM on the reference sample; "registered" metrics from a holdout of the same months.</summary>
    private async Task<MonitorSetup> SetupAsync()
    {
        await ModelLock.WaitAsync();
        try
        {
            if (trained is null)
            {
                var spec = FlightDelaysPipeline.Definition.Features.Spec;
                var model = ModelTrainer.Train(ParquetTable.ReadDataFrame(batches.ReferencePrepared), spec, new TrainingOptions(Trees: 20, Leaves: 31, Threads: 1));
                var path = System.IO.Path.Combine(batches.Path, "model.zip");
                model.Save(path);
                var holdout = System.IO.Path.Combine(batches.Path, "holdout-prepared.parquet");
                await FlightBatches.ReadAsync(batches.Holdout, holdout);
                var metrics = ModelEvaluator.Evaluate(model, ParquetTable.ReadDataFrame(holdout), spec, EvaluationOptions.Default).Metrics;
                trained = (path, PerformanceCheck.Named(metrics));
            }
            return new MonitorSetup(FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features)
            {
                Drift = FlightBatches.Options,
                ModelPath = trained.Value.Model,
                RegisteredMetrics = trained.Value.Metrics,
            };
        }
        finally
        {
            ModelLock.Release();
        }
    }

    /// <summary>Writes a raw Parquet batch as CSV (the raw schema's text form), editing fields per row; returns the row count.</summary>
    private static async Task<long> WriteCsvAsync(string parquet, string csv, bool labelled, Action<long, string[]> edit)
    {
        var text = new StringBuilder(labelled ? "date,delay,distance,origin,destination\n" : "date,distance,origin,destination\n");
        long row = 0;
        await foreach (var chunk in ParquetChunkReader.ReadAsync(parquet))
        {
            var (dates, delays, distances, origins, destinations) = (chunk.Timestamps("date"), chunk.Int64s("delay"), chunk.Int64s("distance"), chunk.Strings("origin"), chunk.Strings("destination"));
            for (var i = 0; i < chunk.RowCount; i++, row++)
            {
                var fields = new[]
                {
                    dates[i]!.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    delays[i]!.Value.ToString(CultureInfo.InvariantCulture),
                    distances[i]!.Value.ToString(CultureInfo.InvariantCulture),
                    origins[i]!,
                    destinations[i]!,
                };
                edit(row, fields);
                text.Append(string.Join(',', labelled ? fields : [fields[0], .. fields[2..]])).Append('\n');
            }
        }
        await File.WriteAllTextAsync(csv, text.ToString());
        return row;
    }
}
