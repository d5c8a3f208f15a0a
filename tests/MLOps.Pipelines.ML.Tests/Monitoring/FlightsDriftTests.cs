using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>The verdicts on real flights batches against a sample of the training months (Evidently's default thresholds).</summary>
[Collection(FlightBatchesCollection.Name)]
public sealed class FlightsDriftTests(FlightBatches batches)
{
    [Theory]
    [InlineData("may")]
    [InlineData("june")]
    public async Task Later_months_do_not_raise_the_alarm_and_month_is_reported_as_seasonal(string month)
    {
        var batch = await FlightBatches.ReadAsync(month == "may" ? batches.May : batches.June);
        var report = DriftDetector.Compare(batches.ReferenceProfile, batch.Profile, FlightBatches.Options);

        report.Verdict.ShouldBe("drift: none (0 of 6 features)");
        var calendar = report.Features.Single(f => f.Feature == "month");
        calendar.Role.ShouldBe(FeatureRole.Seasonal);
        calendar.Drifted.ShouldBeTrue(); // a month the reference never saw: Jensen–Shannon √ln 2
        calendar.Score.ShouldBe(Math.Sqrt(Math.Log(2)), 1e-9);
        report.SeasonalDrifted.ShouldBe(["month"]);
        report.Features.Where(f => f.Counted).ShouldAllBe(f => f.Score < 0.1);
    }

    [Fact]
    public async Task Without_the_seasonal_role_month_counts_as_one_drifted_feature()
    {
        var batch = await FlightBatches.ReadAsync(batches.June);
        var report = DriftDetector.Compare(batches.ReferenceProfile, batch.Profile, DriftOptions.Default);
        report.Verdict.ShouldBe("drift: none (1 of 7 features)");
    }

    [Fact]
    public async Task One_hubs_june_evenings_raise_the_alarm()
    {
        var batch = await FlightBatches.ReadAsync(batches.Shifted);
        var report = DriftDetector.Compare(batches.ReferenceProfile, batch.Profile, FlightBatches.Options);

        report.Detected.ShouldBeTrue();
        report.Verdict.ShouldBe("drift: detected (4 of 6 features)");
        report.Features.Where(f => f.Drifted).Select(f => f.Feature).Order()
            .ShouldBe(["dep_hour", "destination", "distance", "month", "origin"]);
        report.Features.Single(f => f.Feature == "origin").Psi.ShouldBeGreaterThan(0.2);
    }

    [Fact]
    public async Task A_random_sample_of_the_training_months_does_not()
    {
        var batch = await FlightBatches.ReadAsync(batches.Control);
        var report = DriftDetector.Compare(batches.ReferenceProfile, batch.Profile, FlightBatches.Options);

        report.Verdict.ShouldBe("drift: none (0 of 6 features)");
        report.Features.ShouldAllBe(f => !f.Drifted && f.PsiLevel == "stable");
    }

    [Fact]
    public async Task Live_summaries_give_the_same_verdicts_as_the_rows()
    {
        var edges = FeatureSummaryFile.ReferenceEdges(batches.ReferenceProfile);
        foreach (var (path, verdict) in new[] { (batches.June, "drift: none (0 of 6 features)"), (batches.Shifted, "drift: detected (4 of 6 features)"), (batches.Control, "drift: none (0 of 6 features)") })
        {
            var rows = (await FlightBatches.ReadAsync(path)).Profile;
            var summaries = System.IO.Path.Combine(batches.Path, System.IO.Path.GetFileNameWithoutExtension(path) + ".summaries.json");
            FeatureSummaryFile.Write(summaries, rows, edges);

            var live = FeatureSummaryFile.Read(summaries);
            live.Numeric.Values.ShouldAllBe(d => d.IsBinned);
            live.Rows.ShouldBe(rows.Rows);
            var fromSummaries = DriftDetector.Compare(batches.ReferenceProfile, live, FlightBatches.Options);
            var fromRows = DriftDetector.Compare(batches.ReferenceProfile, rows, FlightBatches.Options);
            fromSummaries.Verdict.ShouldBe(verdict);
            fromSummaries.Features.Select(f => (f.Feature, f.Drifted)).ShouldBe(fromRows.Features.Select(f => (f.Feature, f.Drifted)));
        }
    }

    [Fact]
    public async Task Without_a_batch_a_time_split_pipeline_monitors_its_later_months_against_its_training_months()
    {
        // An ingested file as Ingest leaves it: training months and later months together (the 3 % sample, May and June).
        using var root = new TemporaryDirectory();
        var definition = FlightDelaysPipeline.Definition;
        var paths = definition.Artifacts(AbsolutePath.Create(root.Path), AbsolutePath.Create(root.Path) / "artifacts");
        Directory.CreateDirectory(paths.Ingested);
        await using (var writer = await ParquetChunkWriter.CreateAsync(paths.IngestedData, await ParquetChunkReader.ReadLayoutAsync(batches.Reference)))
        {
            foreach (var part in new[] { batches.Reference, batches.May, batches.June })
                await foreach (var chunk in ParquetChunkReader.ReadAsync(part))
                    await writer.WriteAsync(chunk.Where(Enumerable.Repeat(true, chunk.RowCount).ToArray(), chunk.RowCount, writer.RowsWritten));
        }

        var result = await PipelineMonitor.RunAsync(new PipelineMonitorRequest(definition, paths) { Drift = FlightBatches.Options }, paths.Monitoring);

        result.Batch.ShouldBe("data.parquet from 2001-05-01");
        result.Drift.ReferenceRows.ShouldBe(batches.ReferenceProfile.Rows);
        result.Drift.CurrentRows.ShouldBe((await FlightBatches.ReadAsync(batches.May)).Profile.Rows + (await FlightBatches.ReadAsync(batches.June)).Profile.Rows);
        result.Drift.Verdict.ShouldBe("drift: none (0 of 6 features)");
        result.Drift.SeasonalDrifted.ShouldBe(["month"]);
        result.Quality.ShouldNotBeNull().Alarm.ShouldBeFalse();
        File.Exists(System.IO.Path.Combine(paths.Monitoring, MonitorReportWriter.HtmlFile)).ShouldBeTrue();
    }
}
