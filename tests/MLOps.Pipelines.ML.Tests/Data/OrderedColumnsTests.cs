using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Monitoring;

namespace MLOps.Pipelines.ML.Tests.Data;

/// <summary>Columns in a shared order: the same arrays by name and by position, and a profile that reads them either way alike.</summary>
public sealed class OrderedColumnsTests
{
    [Fact]
    public void Columns_read_by_name_and_by_position_are_the_same_arrays_and_a_missing_name_says_which()
    {
        var order = new ColumnOrder(["tenure", "contract"]);
        float[] tenure = [1f, 2f];
        string?[] contract = ["Two year", null];
        var columns = new OrderedColumns(order, [tenure, contract]);

        columns["tenure"].ShouldBeSameAs(tenure);
        columns[1].ShouldBeSameAs(contract);
        columns.Keys.ShouldBe(["tenure", "contract"]);
        columns.Select(kv => kv.Value).ShouldBe([tenure, contract]);
        order.IndexOf("contract").ShouldBe(1);
        order.IndexOf("Contract").ShouldBe(-1);
        columns.TryGetValue("charges", out _).ShouldBeFalse();
        Should.Throw<KeyNotFoundException>(() => columns["charges"]).Message.ShouldContain("'charges' is not among these columns (tenure, contract)");
        Should.Throw<ArgumentException>(() => new ColumnOrder(["a", "b", "a"])).Message.ShouldContain("'a' appears twice");
        Should.Throw<ArgumentException>(() => new OrderedColumns(order, [tenure])).Message.ShouldContain("1 arrays for 2 columns");
    }

    [Fact]
    public void A_chunk_over_ordered_columns_reads_as_one_over_named_columns_and_a_wrong_array_is_named()
    {
        var schema = new SchemaContract("s", [ColumnContract.Int64("n"), new ColumnContract("c", ColumnType.Categorical), ColumnContract.Int64("label")]);
        var order = new ColumnOrder(["c", "n"]);
        Array[] arrays = [new string?[] { "a", null }, new long?[] { 7, null }];

        var ordered = RawFeatureRows.Chunk(schema, new OrderedColumns(order, arrays), 2);
        var named = RawFeatureRows.Chunk(schema, new Dictionary<string, Array> { ["n"] = arrays[1], ["c"] = arrays[0] }, 2);

        foreach (var chunk in new[] { ordered, named })
        {
            chunk.Int64s("n").ShouldBe([7L, null]);
            chunk.Strings("c").ShouldBe(["a", null]);
            chunk.Contains("label").ShouldBeFalse();
            Should.Throw<KeyNotFoundException>(() => chunk.Int64s("label"));
        }

        ordered.ColumnNames.ShouldBe(["c", "n"]);
        Should.Throw<ArgumentException>(() => RawFeatureRows.Chunk(schema, new OrderedColumns(order, [arrays[0], new double?[] { 1, 2 }]), 2))
            .Message.ShouldContain("column 'n' is Int64: give a long?[] array, not double?[]");
        // A column the schema does not have: read by name, as a dictionary is (the extra column is left out).
        var extra = RawFeatureRows.Chunk(schema, new OrderedColumns(new ColumnOrder(["n", "x"]), [arrays[1], new long?[] { 1, 2 }]), 2);
        extra.ColumnNames.ShouldBe(["n"]);
    }

    [Fact]
    public void Positions_are_resolved_once_per_order_and_null_when_a_name_is_not_there()
    {
        var positions = new ColumnPositions(["c", "a"]);
        var order = new ColumnOrder(["a", "b", "c"]);

        var first = positions.In(order).ShouldNotBeNull();
        first.ShouldBe([2, 0]);
        positions.In(order).ShouldBeSameAs(first);
        positions.In(new ColumnOrder(["c", "a"])).ShouldBe([0, 1]);
        positions.In(new ColumnOrder(["a", "b"])).ShouldBeNull();
        float[] a = [1f], c = [3f];
        var picked = positions.Of(new OrderedColumns(order, [a, new[] { 2f }, c]));
        (picked[0], picked[1]).ShouldBe((c, a));
        var byName = positions.Of(new Dictionary<string, Array> { ["a"] = a, ["c"] = c });
        (byName[0], byName[1]).ShouldBe((c, a));
    }

    [Fact]
    public void A_profile_counts_ordered_columns_by_position_as_it_counts_columns_by_name()
    {
        var spec = new FeatureSpec("churn", ["tenure", "charges"], ["contract"]);
        // Another order than the spec's, with a column the profile does not read: positions, not declaration order.
        var order = new ColumnOrder(["contract", "unused", "charges", "tenure"]);
        var byPosition = new FeatureProfileBuilder(spec, maxDistinctValues: 50);
        var byName = new FeatureProfileBuilder(spec, maxDistinctValues: 50);
        for (var batch = 0; batch < 3; batch++)
        {
            Array[] arrays =
            [
                new[] { "Month-to-month", null, "Two year" + batch },
                new[] { "x", "y", "z" },
                new[] { 20.5f, float.NaN, batch },
                new float?[] { batch, null, 7f },
            ];
            var columns = new OrderedColumns(order, arrays);
            byPosition.Add(3, columns);
            byName.Add(3, name => columns[name]);
        }

        var (a, b) = (byPosition.Build(), byName.Build());
        a.Rows.ShouldBe(9);
        foreach (var feature in spec.Numeric)
        {
            a.Numeric[feature].Points.ShouldBe(b.Numeric[feature].Points, feature);
            a.Numeric[feature].Counts.ShouldBe(b.Numeric[feature].Counts, feature);
            a.Numeric[feature].Missing.ShouldBe(3, feature);
        }

        a.Categorical["contract"].Counts.ShouldBe(b.Categorical["contract"].Counts);
        a.Categorical["contract"].Counts["Month-to-month"].ShouldBe(3);
        Should.Throw<KeyNotFoundException>(() => byPosition.Add(1, new OrderedColumns(new ColumnOrder(["tenure"]), [new[] { 1f }])))
            .Message.ShouldContain("column 'charges' is not among these columns (tenure)");
    }
}
