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

    [Theory]
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
