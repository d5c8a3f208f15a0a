using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.TestPipelines;
using Parquet;
using Parquet.Schema;

namespace MLOps.Pipelines.ML.Tests.Data;

public sealed class IngestBadInputTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private Task<IngestResult> IngestPenguins(string path, IngestOptions? options = null) =>
        PenguinsPipeline.Sex.Stages.IngestAsync(path, temp["out"], options);

    [Fact]
    public async Task Missing_csv_column_fails_naming_file_column_and_rule()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["no-island.csv"], lines =>
            lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != 1))).ToList());

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(csv));

        (e.Rule, e.Column, e.Row).ShouldBe((ContractRule.MissingColumn, "island", (long?)null));
        e.File.ShouldBe(csv);
        e.Message.ShouldContain("no-island.csv");
        e.Message.ShouldContain("'island'");
        Directory.Exists(temp["out"]).ShouldBeFalse();
    }

    [Fact]
    public async Task Missing_parquet_column_fails()
    {
        var path = temp["flights.parquet"];
        await WriteParquet(path, new DataField<long>("delay"), [1L, 2L]);

        var e = await Should.ThrowAsync<DataContractException>(() => FlightDelaysPipeline.Definition.Stages.IngestAsync(path, temp["out"]));

        (e.Rule, e.Column).ShouldBe((ContractRule.MissingColumn, "date"));
    }

    [Fact]
    public async Task Mistyped_parquet_column_fails_before_reading_rows()
    {
        var path = temp["flights.parquet"];
        var schema = new ParquetSchema(
            new DateTimeDataField("date", DateTimeFormat.Timestamp), new DataField<long>("delay"), new DataField<string>("distance"),
            new DataField<string>("origin"), new DataField<string>("destination"));
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<DateTime>(schema.DataFields[0], new[] { new DateTime(2001, 1, 2) }.AsMemory());
            await group.WriteAsync<long>(schema.DataFields[1], new[] { 3L }.AsMemory());
            await group.WriteAsync(schema.DataFields[2], ["far"]);
            await group.WriteAsync(schema.DataFields[3], ["SFO"]);
            await group.WriteAsync(schema.DataFields[4], ["LAX"]);
        }

        var e = await Should.ThrowAsync<DataContractException>(() => FlightDelaysPipeline.Definition.Stages.IngestAsync(path, temp["out"]));

        (e.Rule, e.Column).ShouldBe((ContractRule.Type, "distance"));
        e.Message.ShouldContain("int64");
    }

    [Fact]
    public async Task Mistyped_csv_column_fails_naming_the_first_row()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["typed.csv"], lines =>
        {
            for (var row = 1; row < lines.Count; row++) TestData.SetField(lines, row, "year", "year" + row);
            return lines;
        });

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(csv));

        (e.Rule, e.Column, e.Row).ShouldBe((ContractRule.Type, "year", 1L));
        e.Message.ShouldContain("'year1'");
    }

    [Fact]
    public async Task Empty_file_fails()
    {
        File.WriteAllBytes(temp["empty.csv"], []);

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(temp["empty.csv"]));

        e.Rule.ShouldBe(ContractRule.EmptyFile);
        e.Message.ShouldContain("empty.csv");
    }

    [Fact]
    public async Task Header_only_csv_fails_as_empty()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["header.csv"], lines => [lines[0]]);

        (await Should.ThrowAsync<DataContractException>(() => IngestPenguins(csv))).Rule.ShouldBe(ContractRule.EmptyFile);
    }

    [Theory]
    [InlineData("garbage.csv", false)]
    [InlineData("garbage.parquet", false)]
    [InlineData("garbage.bin", true)]
    public async Task Garbage_bytes_fail_as_neither_parquet_nor_csv(string name, bool parquetMagic)
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        if (parquetMagic) "PAR1"u8.CopyTo(bytes);
        File.WriteAllBytes(temp[name], bytes);

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(temp[name]));

        e.Rule.ShouldBe(ContractRule.Format);
        e.Message.ShouldContain(name);
    }

    [Fact]
    public async Task Out_of_range_value_is_quarantined_with_row_line_column_rule_and_value()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["range.csv"], lines => TestData.SetField(lines, 5, "body_mass_g", "99999"));

        var result = await IngestPenguins(csv);

        result.Quality.RowsAccepted.ShouldBe(343);
        result.Quality.ViolationsByRule.ShouldBe(new Dictionary<string, long> { ["range"] = 1 });
        result.Quality["body_mass_g"].Violations.ShouldBe(1);
        result.Quality["body_mass_g"].Max.ShouldBe(6300);
        File.ReadAllLines(result.QuarantinePath)[1].ShouldBe("5,6,body_mass_g,range,99999,99999 is above the maximum 10000");
    }

    [Fact]
    public async Task Unknown_category_is_quarantined()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["island.csv"], lines => TestData.SetField(lines, 10, "island", "Atlantis"));

        var result = await IngestPenguins(csv);

        result.Quality.RowsRejected.ShouldBe(1);
        File.ReadAllLines(result.QuarantinePath)[1].ShouldStartWith("10,11,island,category,Atlantis,");
    }

    [Fact]
    public async Task Unparsable_cell_and_short_row_are_quarantined_once_each()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["cells.csv"], lines =>
        {
            TestData.SetField(lines, 3, "year", "twenty");
            lines[7] = "Adelie,Torgersen,39.1";
            return lines;
        });

        var result = await IngestPenguins(csv);

        var rows = File.ReadAllLines(result.QuarantinePath).Skip(1).ToList();
        rows.Count.ShouldBe(2);
        rows[0].ShouldStartWith("3,4,year,type,twenty,");
        rows[1].ShouldStartWith("7,8,*,column-count,3,");
        result.Quality.RowsAccepted.ShouldBe(342);
    }

    [Fact]
    public async Task Rejected_share_over_the_threshold_fails_naming_file_row_column_and_rule()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["many.csv"], lines =>
        {
            for (var row = 20; row < 30; row++) TestData.SetField(lines, row, "year", "2031");
            return lines;
        });

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(csv, new IngestOptions { MaxRejectedFraction = 0.01 }));

        (e.Rule, e.Row, e.Column).ShouldBe((ContractRule.RejectedShare, 20L, "year"));
        e.Message.ShouldContain("many.csv");
        e.Message.ShouldContain("10 of 344 rows");
        e.Message.ShouldContain("'range'");
        e.Message.ShouldContain("(2.91 %)");
        e.Message.ShouldContain("the allowed 1 %");
        e.Message.ShouldContain("raise --max-rejected-fraction (now 0.01)");

        // The same file passes when the parameter allows it.
        (await IngestPenguins(csv, new IngestOptions { MaxRejectedFraction = 0.05 })).Quality.RowsRejected.ShouldBe(10);
    }

    [Fact]
    public async Task A_failed_ingest_leaves_previous_outputs_untouched()
    {
        var good = await IngestPenguins(TestData.File("penguins.csv"));
        var before = Snapshot(temp["out"]);
        var bad = TestData.EditCsv("penguins.csv", temp["bad.csv"], lines =>
        {
            for (var row = 1; row < 100; row++) TestData.SetField(lines, row, "island", "Atlantis");
            return lines;
        });

        await Should.ThrowAsync<DataContractException>(() => IngestPenguins(bad));

        Snapshot(temp["out"]).ShouldBe(before);
        Directory.GetDirectories(temp.Path).ShouldBe([temp["out"]]); // no staging folder left behind
        good.Quality.RowsAccepted.ShouldBe(344);
    }

    private static List<string> Snapshot(string directory) =>
        Directory.GetFiles(directory).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}").ToList();

    private static async Task WriteParquet(string path, DataField<long> field, long[] values)
    {
        var schema = new ParquetSchema(field);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(field, values.AsMemory());
    }

    [Fact]
    public async Task One_bad_row_against_an_allowed_zero_shows_enough_decimals_to_differ()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["one.csv"], lines =>
        {
            TestData.SetField(lines, 5, "year", "2031");
            return lines;
        });

        var e = await Should.ThrowAsync<DataContractException>(() => IngestPenguins(csv, new IngestOptions { MaxRejectedFraction = 0 }));

        e.Message.ShouldContain("1 of 344 rows (0.29 %)");
        e.Message.ShouldContain("more than the allowed 0 %");
        e.Message.ShouldContain("--max-rejected-fraction (now 0)");
        RejectedShare.Format(1 / 3e6, 0).ShouldBe(("0.00003 %", "0 %")); // the flights-sized case that printed 0.00 % twice
        RejectedShare.Format(0.0100001, 0.01).ShouldBe(("1.00001 %", "1 %"));
    }

    [Fact]
    public async Task Quarantined_values_that_a_spreadsheet_would_run_as_formulas_are_neutralised()
    {
        var csv = TestData.EditCsv("penguins.csv", temp["formula.csv"], lines =>
        {
            TestData.SetField(lines, 3, "island", "=HYPERLINK(1)");
            TestData.SetField(lines, 4, "island", "@SUM(A1)");
            TestData.SetField(lines, 5, "year", "-2008");
            TestData.SetField(lines, 6, "island", "+1");
            return lines;
        });

        var result = await IngestPenguins(csv, new IngestOptions { MaxRejectedFraction = 0.05 });

        var cells = File.ReadAllLines(result.QuarantinePath).Skip(1).Select(l => l.Split(',')[4]).ToList();
        cells.ShouldContain("'=HYPERLINK(1)");
        cells.ShouldContain("'@SUM(A1)");
        cells.ShouldContain("'-2008");
        cells.ShouldContain("'+1");
        cells.ShouldAllBe(c => c.Length == 0 || !"=+-@\t\r".Contains(c.TrimStart('"')[0]));
        QuarantineWriter.Escape("\tx").ShouldBe("'\tx");
        QuarantineWriter.Escape("plain").ShouldBe("plain");
    }
}
