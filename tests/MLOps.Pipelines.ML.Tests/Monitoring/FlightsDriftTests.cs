using MLOps.Pipelines.ML.Monitoring;

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
}
