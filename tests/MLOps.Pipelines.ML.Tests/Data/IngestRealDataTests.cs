using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Data;

public sealed class IngestRealDataTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Penguins_with_real_NA_cells_are_all_accepted_and_typed()
    {
        var result = await PenguinsPipeline.Sex.Stages.IngestAsync(TestData.File("penguins.csv"), temp["ingest"]);

        var q = result.Quality;
        q.Format.ShouldBe(TabularFormat.Csv);
        (q.RowsRead, q.RowsAccepted, q.RowsRejected).ShouldBe((344L, 344L, 0L));
        q["bill_length_mm"].Nulls.ShouldBe(2);
        q["sex"].Nulls.ShouldBe(11);
        q["species"].TopCategories!.ShouldBe([new("Adelie", 152), new("Gentoo", 124), new("Chinstrap", 68)]);
        q["body_mass_g"].Min.ShouldBe(2700);
        q["body_mass_g"].Max.ShouldBe(6300);
        q.Columns.Sum(c => c.Nulls).ShouldBe(19); // the 19 NA cells of the README

        var frame = ParquetTable.ReadDataFrame(result.DataPath);
        frame.Rows.Count.ShouldBe(344);
        frame["bill_length_mm"].ShouldBeOfType<DoubleDataFrameColumn>().NullCount.ShouldBe(2);
        frame["year"].ShouldBeOfType<Int64DataFrameColumn>()[0].ShouldBe(2007L);
        frame["sex"].ShouldBeOfType<StringDataFrameColumn>().NullCount.ShouldBe(11);
        File.ReadAllLines(result.QuarantinePath).ShouldBe([QuarantineWriter.Header]);
        var reread = DataQualityReport.Read(result.QualityPath);
        (reread.File, reread.RowsAccepted, reread["sex"].Nulls).ShouldBe(("penguins.csv", 344L, 11L));
        reread["island"].TopCategories.ShouldBe(q["island"].TopCategories);
    }

    [Fact]
    public async Task Churn_keeps_its_11_empty_total_charges_as_missing()
    {
        var result = await CustomerChurnPipeline.Definition.Stages.IngestAsync(TestData.File("telco-churn.csv"), temp["ingest"]);

        result.Quality.RowsAccepted.ShouldBe(7043);
        result.Quality["total_charges"].Nulls.ShouldBe(11);
        result.Quality["churn"].TopCategories!.ShouldBe([new("No", 5174), new("Yes", 1869)]);
        result.Quality["payment_method"].Distinct.ShouldBe(4);
        result.Quality["tenure"].Max.ShouldBe(72);

        var frame = ParquetTable.ReadDataFrame(result.DataPath);
        frame.Rows.Count.ShouldBe(7043);
        frame["total_charges"].NullCount.ShouldBe(11);
        frame["multiple_lines"][0].ShouldBe("No phone service"); // a quoted field, unquoted
    }

    [Fact]
    public async Task Flights_sample_is_ingested_by_row_group_and_its_July_departure_quarantined()
    {
        var sample = await TestData.FlightsSampleAsync();

        var result = await FlightDelaysPipeline.Definition.Stages.IngestAsync(sample, temp["ingest"]);

        var q = result.Quality;
        q.Format.ShouldBe(TabularFormat.Parquet);
        q.RowsRead.ShouldBeGreaterThan(30_000); // every 100th row plus the departures at 2001-07-01 00:00
        q.RowsRejected.ShouldBeInRange(1, 10);
        q.ViolationsByRule.ShouldBe(new Dictionary<string, long> { ["range"] = q.RowsRejected });
        q["date"].Violations.ShouldBe(q.RowsRejected);
        q["date"].Earliest.ShouldBe(new DateTime(2001, 1, 1, 0, 1, 0));
        q["date"].Latest!.Value.ShouldBeLessThan(new DateTime(2001, 7, 1));
        q["origin"].Distinct!.Value.ShouldBeGreaterThan(150);
        q["delay"].Nulls.ShouldBe(0);

        var quarantine = File.ReadAllLines(result.QuarantinePath).Skip(1).ToList();
        quarantine.Count.ShouldBe((int)q.RowsRejected);
        quarantine.ShouldAllBe(line => line.Contains(",,date,range,2001-07-01T00:00:00,"));
        long.Parse(quarantine[0].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(30_000 - 10);

        var frame = ParquetTable.ReadDataFrame(result.DataPath);
        frame.Rows.Count.ShouldBe(q.RowsAccepted);
        frame["date"].ShouldBeOfType<DateTimeDataFrameColumn>();
        frame["origin"].ShouldBeOfType<StringDataFrameColumn>();
    }

    [Fact]
    public async Task Duplicate_rows_are_counted()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["dup.csv"], lines => [.. lines, lines[1], lines[2], lines[1]]);

        var result = await PenguinsPipeline.Sex.Stages.IngestAsync(csv, temp["ingest"]);

        result.Quality.RowsAccepted.ShouldBe(347);
        result.Quality.DuplicateRows.ShouldBe(3);
    }

    [Fact]
    public void Duplicate_counting_spills_sorted_runs_and_merges_them_exactly()
    {
        using var counter = new DuplicateCounter(temp.Path, runLength: 1000);
        var chunk = new TableChunk(0, 5000);
        chunk.Add("k", ColumnType.Int64, Enumerable.Range(0, 5000).Select(i => (long?)(i % 3000)).ToArray());

        counter.Add(chunk);

        counter.Count().ShouldBe(2000);
        Directory.GetFiles(temp.Path, "*.run").Length.ShouldBe(5);
    }
}
