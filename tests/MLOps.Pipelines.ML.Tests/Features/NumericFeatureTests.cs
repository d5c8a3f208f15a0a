using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Tests.Features;

/// <summary>A numeric feature converts each source type to float32 with the same bits as going through <see cref="TableChunk.Numbers"/>.</summary>
public sealed class NumericFeatureTests
{
    [Fact]
    public void Every_numeric_source_type_converts_as_through_doubles()
    {
        var random = new Random(20261130);
        const int rows = 5_000;
        long?[] longs = [.. Enumerable.Range(0, rows).Select(i => i % 17 == 0 ? (long?)null : i % 5 == 0 ? long.MaxValue - random.NextInt64(1 << 20) : random.NextInt64(-(1L << 60), 1L << 60))];
        double?[] doubles = [.. Enumerable.Range(0, rows).Select(i => i % 13 == 0 ? (double?)null : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-40, 40)))];
        float?[] floats = [.. Enumerable.Range(0, rows).Select(i => i % 11 == 0 ? (float?)null : (float)((random.NextDouble() - 0.5) * 1e6))];
        bool?[] bools = [.. Enumerable.Range(0, rows).Select(i => i % 7 == 0 ? (bool?)null : random.Next(2) == 1)];
        var chunk = new TableChunk(0, rows);
        chunk.Add("l", ColumnType.Int64, longs);
        chunk.Add("d", ColumnType.Double, doubles);
        chunk.Add("f", ColumnType.Single, floats);
        chunk.Add("b", ColumnType.Bool, bools);

        foreach (var name in new[] { "l", "d", "f", "b" })
        {
            var expected = Array.ConvertAll(chunk.Numbers(name), v => v is { } d ? (float)d : float.NaN);
            var actual = (float[])FeatureColumn.Numeric(name).Compute(chunk);
            actual.Select(BitConverter.SingleToInt32Bits).ShouldBe(expected.Select(BitConverter.SingleToInt32Bits), $"column {name}");
        }
    }
}
