using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Stages;

namespace MLOps.Pipelines.ML.Tests.Data;

public sealed class CsvQuotingTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Quoted_commas_newlines_and_doubled_quotes_are_read_as_one_field_with_the_right_line_numbers()
    {
        File.WriteAllText(temp["q.csv"], "name,n\n\"a, b\",1\n\"multi\nline\",2\n\"quo\"\"te\",x\n");
        var contract = new SchemaContract("quoting", [new ColumnContract("name", ColumnType.Categorical), ColumnContract.Int64("n")]);

        var result = await IngestStage.RunAsync(temp["q.csv"], contract, temp["out"], new IngestOptions { MaxRejectedFraction = 0.5 });

        var frame = ParquetTable.ReadDataFrame(result.DataPath);
        frame["name"].Cast<string>().ShouldBe(["a, b", "multi\nline"]);
        // Row 3 starts on line 5 because row 2 spans lines 3-4.
        File.ReadAllLines(result.QuarantinePath)[1].ShouldBe("3,5,n,type,x,'x' is not a valid int64 value");
    }
}
