using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Export;

public sealed class NumericReferenceTests
{
    [Fact]
    public void Distinct_values_give_the_minimum_and_nine_decile_edges_and_a_tenth_above_each_decile()
    {
        var reference = NumericReference.Of(Enumerable.Range(1, 100).Select(i => (double)(101 - i)).ToList())!;

        reference.Edges.ShouldBe([1, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
        reference.Shares[0].ShouldBe(0.01, 1e-12); // the minimum alone
        reference.Shares[1].ShouldBe(0.09, 1e-12);
        reference.Shares.Skip(2).ShouldAllBe(s => Math.Abs(s - 0.1) < 1e-12);
        reference.Shares.Count.ShouldBe(11);
        reference.Bucket(10).ShouldBe(1); // at an edge: its bucket
        reference.Bucket(10.5).ShouldBe(2);
        reference.Bucket(-1e9).ShouldBe(0); // below the training range: with the minimum
        reference.Bucket(1e9).ShouldBe(10);
    }

    [Fact]
    public void A_flag_keeps_its_distinct_edges_and_the_shares_it_really_has_even_when_its_rare_value_is_under_a_tenth()
    {
        var reference = NumericReference.Of([.. Enumerable.Repeat(0.0, 70), .. Enumerable.Repeat(1.0, 30)])!;
        var rare = NumericReference.Of([.. Enumerable.Repeat(1.0, 95), .. Enumerable.Repeat(0.0, 5)])!;

        reference.Edges.ShouldBe([0, 1]);
        reference.Shares.ShouldBe([0.7, 0.3, 0]);
        reference.Bucket(0).ShouldBe(0);
        reference.Bucket(1).ShouldBe(1);
        rare.Edges.ShouldBe([0, 1]); // every decile is 1: the minimum keeps the zeros apart
        rare.Shares.ShouldBe([0.05, 0.95, 0]);
        NumericReference.Of([]).ShouldBeNull();
    }

    [Fact]
    public async Task The_ingested_data_gives_each_numeric_field_a_reference_and_the_same_one_every_time()
    {
        var definition = CustomerChurnPipeline.Definition;
        using var dir = new TemporaryDirectory();
        var ingested = IngestStage.Run(TestData.File(definition.RawFile), definition.Schema, dir.Path).DataPath;

        var first = await NumericReference.ReadAsync(ingested, definition.Schema);
        var second = await NumericReference.ReadAsync(ingested, definition.Schema);

        first.Keys.ShouldContain("tenure");
        first.Keys.ShouldContain("total_charges");
        first.Keys.ShouldNotContain("contract"); // categorical
        first.Keys.ShouldNotContain(definition.Schema.Label!);
        foreach (var (field, reference) in first)
        {
            reference.Shares.Sum().ShouldBe(1, 1e-9, field);
            second[field].Edges.ShouldBe(reference.Edges);
            second[field].Shares.ShouldBe(reference.Shares);
        }
    }

    [Fact]
    public void Model_json_keeps_the_reference_and_refuses_edges_out_of_order_naming_the_field()
    {
        using var dir = new TemporaryDirectory();
        var manifest = new ServingManifest("m", "1", "P", "s", ["x:Numeric"],
            NumericReference: new Dictionary<string, NumericReference> { ["x"] = new([1, 2], [0.5, 0.25, 0.25]) });
        manifest.Write(dir.Path);

        var read = ServingManifest.Read(dir.Path);
        read.NumericReference!["x"].Edges.ShouldBe([1, 2]);
        read.NumericReference["x"].Shares.ShouldBe([0.5, 0.25, 0.25]);

        (manifest with { NumericReference = new Dictionary<string, NumericReference> { ["x"] = new([2, 1], [0.5, 0.25, 0.25]) } }).Write(dir.Path);
        Should.Throw<InvalidDataException>(() => ServingManifest.Read(dir.Path)).Message.ShouldContain("numeric_reference.x");
    }
}
