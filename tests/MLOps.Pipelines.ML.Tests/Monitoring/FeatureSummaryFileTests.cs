using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Tests.Data;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>The live summaries format: round trip, and one clear error per kind of bad file.</summary>
public sealed class FeatureSummaryFileTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_summaries_file_reads_as_a_binned_profile()
    {
        var path = Write("""
            { "format": "feature-summaries/1", "rows": 12,
              "features": {
                "distance": { "kind": "numeric", "edges": [0, 100, 200], "counts": [4, 6], "missing": 2 },
                "origin": { "kind": "categorical", "counts": { "ATL": 7, "ORD": 5 } } } }
            """);
        var profile = FeatureSummaryFile.Read(path);
        profile.Rows.ShouldBe(12);
        profile.Numeric["distance"].IsBinned.ShouldBeTrue();
        profile.Numeric["distance"].Total.ShouldBe(10);
        profile.Numeric["distance"].Missing.ShouldBe(2);
        profile.Categorical["origin"].Counts["ATL"].ShouldBe(7);
    }

    [Fact]
    public void An_exact_profile_round_trips_without_loss_and_binned_features_keep_their_bins()
    {
        var spec = new FeatureSpec("churn", ["tenure", "charges"], ["contract"]);
        var builder = new FeatureProfileBuilder(spec, maxDistinctValues: 50, overflowBins: 10);
        var charges = Enumerable.Range(0, 200).Select(i => (float)(i * 0.5)).ToArray(); // 200 distinct values: past the bound
        builder.Add(200, name => name switch
        {
            "tenure" => Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? null : (float?)(i % 7)).ToArray(),
            "charges" => charges,
            _ => Enumerable.Range(0, 200).Select(i => i < 100 ? (i % 2 == 0 ? "Month-to-month" : "Two year") : i == 199 ? null : "x" + i).ToArray(),
        });
        var profile = builder.Build();

        var json = FeatureSummaryFile.Serialize(profile, "a test");
        json.ShouldContain("\"format\": \"feature-summaries/1\"");
        json.ShouldContain("\"source\": \"a test\"");
        var read = FeatureSummaryFile.Parse(json, "summary.json");

        read.Rows.ShouldBe(200);
        var tenure = read.Numeric["tenure"];
        tenure.IsBinned.ShouldBeFalse();
        tenure.Points.ShouldBe(profile.Numeric["tenure"].Points);
        tenure.Counts.ShouldBe(profile.Numeric["tenure"].Counts);
        tenure.Missing.ShouldBe(67);
        var binned = read.Numeric["charges"];
        binned.IsBinned.ShouldBeTrue();
        binned.Counts.Count.ShouldBe(10);
        // Binned at the 51st value (0..25), widened as larger values came: every value counted in the bin that holds it.
        (binned.Min, binned.Total).ShouldBe((0.0, 200L));
        binned.Max.ShouldBeGreaterThan(99.5);
        for (var b = 0; b < 10; b++)
            binned.Counts[b].ShouldBe(charges.Count(v => v >= binned.Points[b] && v < binned.Points[b + 1]), $"bin {b}");
        read.Categorical["contract"].Counts.ShouldBe(profile.Categorical["contract"].Counts);
        // 2 values, then 48 of the 99 new ones fill the bound of 50; the other 51 count as __other__.
        read.Categorical["contract"].Counts.Count.ShouldBe(51);
        read.Categorical["contract"].Counts[FeatureProfileBuilder.OtherCategory].ShouldBe(51);
        read.Categorical["contract"].Missing.ShouldBe(1);
    }

    [Theory]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "d": { "kind": "numeric", "values": [1, 2], "counts": [3] } } }""", "feature 'd': exact \"values\" and \"counts\" must be as long")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "d": { "kind": "numeric", "values": [1, 1], "counts": [3, 4] } } }""", "feature 'd': value 1 is listed twice")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "d": { "kind": "numeric", "counts": [3] } } }""", "either \"edges\" (binned) or \"values\" (exact)")]
    [InlineData("""{ "format": "other/2", "features": {} }""", "expected 'feature-summaries/1'")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "d": { "kind": "numeric", "edges": [0, 1], "counts": [1, 2] } } }""", "feature 'd': a histogram needs one more bin edge than counts")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "d": { "kind": "numeric", "edges": [0, 2, 1], "counts": [1, 2] } } }""", "feature 'd': bin edges must increase")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "o": { "kind": "categorical", "counts": [1, 2] } } }""", "feature 'o': categorical \"counts\" must be an object")]
    [InlineData("""{ "format": "feature-summaries/1", "features": { "o": { "kind": "text" } } }""", "feature 'o': \"kind\" is 'text'")]
    [InlineData("""not json""", "not a feature summaries file")]
    public void A_bad_file_names_the_file_the_feature_and_the_fix(string json, string message)
    {
        var path = Write(json);
        var e = Should.Throw<InvalidDataException>(() => FeatureSummaryFile.Read(path));
        e.Message.ShouldStartWith(path);
        e.Message.ShouldContain(message);
    }

    private string Write(string json)
    {
        var path = directory[$"{Guid.NewGuid():N}.json"];
        File.WriteAllText(path, json);
        return path;
    }
}
