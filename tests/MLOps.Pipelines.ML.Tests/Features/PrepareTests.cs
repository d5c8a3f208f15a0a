using System.Security.Cryptography;
using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Features;

public sealed class PrepareTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private async Task<string> IngestedFlightsAsync() =>
        (await FlightDelaysPipeline.Definition.Stages.IngestAsync(await TestData.FlightsSampleAsync(), temp["ingest"])).DataPath;

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Random_split_is_identical_for_the_same_seed_and_different_for_another()
    {
        var data = await IngestedFlightsAsync();

        var a = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(data, temp["a"], new RandomSplit(0.8, 42));
        var b = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(data, temp["b"], new RandomSplit(0.8, 42));
        var c = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(data, temp["c"], new RandomSplit(0.8, 43));

        Hash(a.TrainPath).ShouldBe(Hash(b.TrainPath));
        Hash(a.TestPath).ShouldBe(Hash(b.TestPath));
        Hash(a.TrainPath).ShouldNotBe(Hash(c.TrainPath));
        (a.TrainRows + a.TestRows).ShouldBe(c.TrainRows + c.TestRows);
    }

    [Fact]
    public async Task Random_split_has_the_requested_proportions_and_the_flight_features()
    {
        var data = await IngestedFlightsAsync();
        var raw = ParquetTable.ReadDataFrame(data);

        var result = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(data, temp["prepared"]);

        (result.TrainRows + result.TestRows).ShouldBe(raw.Rows.Count);
        ((double)result.TrainRows / raw.Rows.Count).ShouldBeInRange(0.79, 0.81);
        result.Spec.ShouldBe(FlightDelaysPipeline.Definition.Stages.FeatureSpec);
        result.Spec.Numeric.ShouldBe(["month", "day_of_month", "day_of_week", "dep_hour", "distance"]);
        result.Spec.Categorical.ShouldBe(["origin", "destination"]);
        result.Spec.Label.ShouldBe("delayed");

        var train = ParquetTable.ReadDataFrame(result.TrainPath);
        train["month"].ShouldBeOfType<SingleDataFrameColumn>();
        train["origin"].ShouldBeOfType<StringDataFrameColumn>();
        var label = train["delayed"].ShouldBeOfType<BooleanDataFrameColumn>();
        // 19.97 % of all flights are delayed; a 24,000-row sample stays close.
        ((double)label.Count(v => v == true) / train.Rows.Count).ShouldBeInRange(0.18, 0.22);

        // The first raw row is in train or test; wherever it is, its features are those of its timestamp.
        var first = (DateTime)raw["date"][0]!;
        var home = new RandomSplit().IsTrain(0) ? train : ParquetTable.ReadDataFrame(result.TestPath);
        ((float)home["month"][0]!, (float)home["day_of_month"][0]!, (float)home["day_of_week"][0]!, (float)home["dep_hour"][0]!)
            .ShouldBe((first.Month, first.Day, (float)(int)first.DayOfWeek, first.Hour + (first.Minute / 60f)));
        home["delayed"][0].ShouldBe((long)raw["delay"][0]! > 15);
        home["distance"][0].ShouldBe((float)(long)raw["distance"][0]!);
    }

    [Fact]
    public async Task Time_split_trains_on_January_to_April_and_keeps_May_and_June_as_batches()
    {
        var data = await IngestedFlightsAsync();

        var result = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(data, temp["prepared"], FlightDelaysPipeline.Definition.TimeSplit);

        var train = ParquetTable.ReadDataFrame(result.TrainPath);
        var test = ParquetTable.ReadDataFrame(result.TestPath);
        ((SingleDataFrameColumn)train["month"]).Distinct().Order().ShouldBe([1f, 2f, 3f, 4f]);
        ((SingleDataFrameColumn)test["month"]).Distinct().Order().ShouldBe([5f, 6f]);
        result.Batches.Keys.ShouldBe(["batch-2001-05.parquet", "batch-2001-06.parquet"]);
        result.Batches.Values.Sum().ShouldBe(result.TestRows);
        var may = ParquetTable.ReadDataFrame(Path.Combine(temp["prepared"], "batch-2001-05.parquet"));
        may.Rows.Count.ShouldBe(result.Batches["batch-2001-05.parquet"]);
        ((SingleDataFrameColumn)may["month"]).Distinct().ShouldBe([5f]);
        File.Exists(Path.Combine(temp["prepared"], PrepareStage.SummaryFile)).ShouldBeTrue();
    }

    [Fact]
    public async Task Churn_keeps_missing_total_charges_as_NaN_and_maps_the_label_to_bool()
    {
        var ingested = await CustomerChurnPipeline.Definition.Stages.IngestAsync(TestData.File("telco-churn.csv"), temp["ingest"]);

        var result = await CustomerChurnPipeline.Definition.Stages.PrepareAsync(ingested.DataPath, temp["prepared"]);

        (result.TrainRows + result.TestRows).ShouldBe(7043);
        result.Spec.Groups.ShouldBe(["female", "senior_citizen"]);
        result.Spec.Numeric.ShouldContain("total_charges");
        result.Spec.Categorical.Count.ShouldBe(10);
        var frames = new[] { ParquetTable.ReadDataFrame(result.TrainPath), ParquetTable.ReadDataFrame(result.TestPath) };
        frames.Sum(f => ((SingleDataFrameColumn)f["total_charges"]).Count(v => float.IsNaN(v!.Value))).ShouldBe(11);
        frames.Sum(f => f["total_charges"].NullCount).ShouldBe(0); // NaN, not null: ML.NET's missing value
        frames.Sum(f => ((BooleanDataFrameColumn)f["churn"]).Count(v => v == true)).ShouldBe(1869);
    }

    [Fact]
    public async Task Penguins_without_a_label_are_dropped()
    {
        var ingested = await PenguinsPipeline.Sex.Stages.IngestAsync(TestData.File("penguins.csv"), temp["ingest"]);

        var result = await PenguinsPipeline.Sex.Stages.PrepareAsync(ingested.DataPath, temp["prepared"]);

        result.DroppedRows.ShouldBe(11);
        (result.TrainRows + result.TestRows).ShouldBe(333);
    }

    [Fact]
    public async Task A_failed_prepare_leaves_previous_outputs_untouched()
    {
        var ingested = await PenguinsPipeline.Sex.Stages.IngestAsync(TestData.File("penguins.csv"), temp["ingest"]);
        var first = await PenguinsPipeline.Sex.Stages.PrepareAsync(ingested.DataPath, temp["prepared"]);
        var before = Hash(first.TrainPath);

        // The flights features need columns the penguins data does not have.
        var e = await Should.ThrowAsync<InvalidDataException>(() => FlightDelaysPipeline.Definition.Stages.PrepareAsync(ingested.DataPath, temp["prepared"]));

        e.Message.ShouldContain("data.parquet");
        Hash(first.TrainPath).ShouldBe(before);
        Directory.GetDirectories(temp.Path).Order().ShouldBe([temp["ingest"], temp["prepared"]]);
    }

    [Fact]
    public void Split_membership_is_a_fixed_function_of_seed_and_row()
    {
        // Pinned values, computed by an independent Python SplitMix64: a change here would silently reshuffle every split.
        var split = new RandomSplit(0.8, 42);
        Enumerable.Range(0, 32).Select(i => split.IsTrain(i) ? 1 : 0).ShouldBe(ExpectedMembership);
    }

    private static readonly int[] ExpectedMembership =
        [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1];
}
