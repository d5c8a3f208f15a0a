using Microsoft.Data.Analysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLOps.Pipelines.ML.Data;

namespace MLOps.Pipelines.ML.Tests.Data;

public sealed class ParquetTableTests : IDisposable
{
    private readonly TemporaryDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_data_frame_round_trips_through_parquet_with_types_and_nulls()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("s", ["a", null!, "c"]),
            new Int64DataFrameColumn("l", [1L, null, 3L]),
            new DoubleDataFrameColumn("d", [1.5, 2.5, null]),
            new SingleDataFrameColumn("f", [1f, float.NaN, 3f]),
            new BooleanDataFrameColumn("b", [true, false, true]),
            new DateTimeDataFrameColumn("t", [new DateTime(2001, 6, 30, 23, 59, 0), null, new DateTime(2001, 1, 1)]));

        ParquetTable.Write(frame, temp["f.parquet"]);
        var back = ParquetTable.ReadDataFrame(temp["f.parquet"]);

        back.Columns.Select(c => (c.Name, c.DataType)).ShouldBe(frame.Columns.Select(c => (c.Name, c.DataType)));
        for (var col = 0; col < frame.Columns.Count; col++)
            for (var row = 0; row < 3; row++)
                back.Columns[col][row].ShouldBe(frame.Columns[col][row], $"{frame.Columns[col].Name}[{row}]");
        ((DateTime)back["t"][0]!).Kind.ShouldBe(DateTimeKind.Unspecified);
    }

    [Fact]
    public void ML_NET_reads_the_frame_as_an_IDataView_with_float_text_and_bool_columns()
    {
        var frame = new DataFrame(
            new SingleDataFrameColumn("x", [1f, 2f]),
            new StringDataFrameColumn("c", ["a", "b"]),
            new BooleanDataFrameColumn("y", [true, false]));
        ParquetTable.Write(frame, temp["p.parquet"]);

        IDataView view = ParquetTable.ReadDataFrame(temp["p.parquet"]);

        view.Schema["x"].Type.ShouldBe(NumberDataViewType.Single);
        view.Schema["c"].Type.ShouldBe(TextDataViewType.Instance);
        view.Schema["y"].Type.ShouldBe(BooleanDataViewType.Instance);
        new MLContext(1).Data.CreateEnumerable<Row>(view, reuseRowObject: false).Select(r => (r.x, r.c, r.y)).ShouldBe([(1f, "a", true), (2f, "b", false)]);
    }

    private sealed class Row
    {
        public float x { get; set; }
        public string c { get; set; } = "";
        public bool y { get; set; }
    }
}
