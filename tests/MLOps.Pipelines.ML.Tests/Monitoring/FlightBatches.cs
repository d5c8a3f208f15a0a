using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.ML.Tests.Data;
using MLOps.Pipelines.ML.Tests.TestPipelines;

namespace MLOps.Pipelines.ML.Tests.Monitoring;

/// <summary>
/// Batches cut from the real flights file in one pass, in its raw schema, small enough for tests that run in seconds:
/// a 3 % sample of the training months (January–April, ~60k rows) as the reference, every 20th row of May and of June, one hub's
/// June evening flights (the strongly shifted batch), and two further random 1 % samples of the training months (the
/// no-drift control, and a holdout that gives the model its "registered" metrics).
/// </summary>
public sealed class FlightBatches : IAsyncLifetime
{
    public const string Hub = "ORD";
    public static readonly DateTime TrainingEnd = new(2001, 5, 1);

    private readonly TemporaryDirectory directory = new();
    private FeatureProfile? reference;

    public string Reference => directory["reference.parquet"];
    public string ReferencePrepared => directory["reference-prepared.parquet"];
    public string May => directory["may.parquet"];
    public string June => directory["june.parquet"];
    public string Shifted => directory["shifted.parquet"];
    public string Control => directory["control.parquet"];
    public string Holdout => directory["holdout.parquet"];
    public string Path => directory.Path;

    /// <summary>The reference's profile (and its prepared rows written to <see cref="ReferencePrepared"/>).</summary>
    public FeatureProfile ReferenceProfile => reference ?? throw new InvalidOperationException("fixture not initialised");

    public static DriftOptions Options { get; } = DriftOptions.Default with { SeasonalFeatures = ["month"] };

    public static Task<RawBatch> ReadAsync(string path, string? prepared = null) =>
        FeatureProfiler.FromRawAsync(path, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features, preparedOutput: prepared);

    public async Task InitializeAsync()
    {
        var source = TestData.File(FlightDelaysPipeline.Definition.RawFile);
        var layout = await ParquetChunkReader.ReadLayoutAsync(source);
        var targets = new (string Path, Func<DateTime, string, long, bool> Keep)[]
        {
            (Reference, (d, _, i) => d < TrainingEnd && Sample(i, 1) < 0.03),
            (May, (d, _, i) => d.Month == 5 && i % 20 == 0),
            (June, (d, _, i) => d.Month == 6 && i % 20 == 0),
            (Shifted, (d, o, _) => d.Month == 6 && d.Hour >= 17 && o == Hub),
            (Control, (d, _, i) => d < TrainingEnd && Sample(i, 2) < 0.01),
            (Holdout, (d, _, i) => d < TrainingEnd && Sample(i, 3) < 0.01),
        };
        var writers = new List<ParquetChunkWriter>();
        foreach (var (path, _) in targets) writers.Add(await ParquetChunkWriter.CreateAsync(path, layout));
        try
        {
            await foreach (var chunk in ParquetChunkReader.ReadAsync(source))
            {
                var dates = chunk.Timestamps("date");
                var origins = chunk.Strings("origin");
                for (var t = 0; t < targets.Length; t++)
                {
                    var keep = new bool[chunk.RowCount];
                    for (var i = 0; i < keep.Length; i++) keep[i] = targets[t].Keep(dates[i]!.Value, origins[i]!, chunk.FirstRow + i);
                    await writers[t].WriteAsync(chunk.Where(keep, keep.Count(k => k), writers[t].RowsWritten));
                }
            }
        }
        finally
        {
            foreach (var w in writers) await w.DisposeAsync();
        }
        reference = (await ReadAsync(Reference, ReferencePrepared)).Profile;
    }

    public Task DisposeAsync()
    {
        directory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A uniform number in [0, 1) per row and stream: random samples that are the same on every run.</summary>
    private static double Sample(long row, ulong stream) =>
        (SplitMix64.Mix(SplitMix64.Mix((ulong)row) ^ (stream * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));
}

/// <summary>One set of batches for every real-data monitoring test class.</summary>
[CollectionDefinition(Name)]
public sealed class FlightBatchesCollection : ICollectionFixture<FlightBatches>
{
    public const string Name = "flight batches";
}
