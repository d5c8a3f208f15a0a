using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>The whole file: the 2M training-month rows as the reference, May and June (1M rows) as the batch (~20 s).</summary>
[Trait("Category", "Slow")]
public sealed class FullSizeDriftTests
{
    [Fact]
    public async Task May_and_June_against_all_training_months_raise_no_alarm()
    {
        var file = TestData.File(FlightDelaysPipeline.Definition.RawFile);
        var reference = await FeatureProfiler.FromRawAsync(file, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features,
            new TimeWindow("date", Until: FlightBatches.TrainingEnd));
        var batch = await FeatureProfiler.FromRawAsync(file, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features,
            new TimeWindow("date", From: FlightBatches.TrainingEnd));

        reference.Profile.Rows.ShouldBeGreaterThan(1_900_000);
        batch.Profile.Rows.ShouldBeGreaterThan(1_000_000);
        // The departures stamped 2001-07-01 00:00 break the contract's range: counted in quality, left out of drift.
        batch.Quality.Report.ViolationsByRule.ShouldContainKey("range");
        batch.Quality.Alarm.ShouldBeFalse();
        var report = DriftDetector.Compare(reference.Profile, batch.Profile, FlightBatches.Options);
        report.Verdict.ShouldBe("drift: none (0 of 6 features)");
        report.SeasonalDrifted.ShouldBe(["month"]);
    }
}
