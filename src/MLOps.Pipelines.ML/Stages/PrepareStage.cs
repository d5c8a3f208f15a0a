using System.Globalization;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Features;

namespace MLOps.Pipelines.ML.Stages;

/// <summary>
/// Prepare: reads a typed Parquet file (Ingest's <c>data.parquet</c>) row group by row group, computes the feature
/// columns, and splits the rows into <c>train.parquet</c> and <c>test.parquet</c> (plus <c>batch-yyyy-MM.parquet</c>
/// per test month for a <see cref="TimeSplit"/>), with <c>prepare.json</c> recording the spec, split and counts.
/// Rows whose label is missing are dropped. Outputs appear only when the whole stage succeeds.
/// </summary>
public static class PrepareStage
{
    public const string TrainFile = "train.parquet";
    public const string TestFile = "test.parquet";
    public const string SummaryFile = PrepareSummary.FileName;

    public static string BatchFile(int year, int month) => string.Create(CultureInfo.InvariantCulture, $"batch-{year:D4}-{month:D2}.parquet");

    public static PrepareResult Run(string inputParquet, FeatureDefinition features, DataSplit split, string outputDirectory) =>
        RunAsync(inputParquet, features, split, outputDirectory).GetAwaiter().GetResult();

    public static async Task<PrepareResult> RunAsync(string inputParquet, FeatureDefinition features, DataSplit split, string outputDirectory, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(split);
        if (split is RandomSplit { TrainFraction: < 0 or > 1 } r)
            throw new ArgumentOutOfRangeException(nameof(split), r.TrainFraction, "the train fraction must be between 0 and 1");
        if (!File.Exists(inputParquet)) throw new FileNotFoundException($"{inputParquet}: the prepared stage's input does not exist (run Ingest first)", inputParquet);

        using var staged = new StagedDirectory(outputDirectory);
        var layout = features.Layout;
        long dropped = 0;
        var batchWriters = new SortedDictionary<string, ParquetChunkWriter>(StringComparer.Ordinal);
        long trainRows, testRows;
        var train = await ParquetChunkWriter.CreateAsync(Path.Combine(staged.Staging, TrainFile), layout, ct);
        var test = await ParquetChunkWriter.CreateAsync(Path.Combine(staged.Staging, TestFile), layout, ct);
        try
        {
            await foreach (var chunk in ParquetChunkReader.ReadAsync(inputParquet, ct))
            {
                TableChunk prepared;
                try
                {
                    prepared = features.Apply(chunk, out var kept);
                    dropped += await RouteAsync(chunk, prepared, kept, split, train, test, batchWriters, staged.Staging, layout, ct);
                    StepProgress.Report("rows prepared", chunk.FirstRow + chunk.RowCount, 0);
                }
                catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
                {
                    throw new InvalidDataException($"{inputParquet}: cannot compute the features: {e.Message}", e);
                }
            }
        }
        finally
        {
            trainRows = train.RowsWritten;
            testRows = test.RowsWritten;
            await train.DisposeAsync();
            await test.DisposeAsync();
            foreach (var writer in batchWriters.Values) await writer.DisposeAsync();
        }
        var batches = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, writer) in batchWriters) batches[name] = writer.RowsWritten;

        new PrepareSummary(
            Path.GetFileName(inputParquet),
            split switch
            {
                RandomSplit rs => new SplitSummary("random", rs.TrainFraction, rs.Seed),
                TimeSplit ts => new SplitSummary("time", Column: ts.TimestampColumn, TestFrom: ts.TestFrom),
                _ => new SplitSummary(split.GetType().Name),
            },
            features.Spec, trainRows, testRows, dropped, batches).Write(Path.Combine(staged.Staging, SummaryFile));
        staged.Commit();
        var dir = Path.GetFullPath(outputDirectory);
        return new PrepareResult(Path.Combine(dir, TrainFile), Path.Combine(dir, TestFile), trainRows, testRows, dropped, batches, features.Spec);
    }

    private static async Task<long> RouteAsync(
        TableChunk chunk, TableChunk prepared, bool[] kept, DataSplit split,
        ParquetChunkWriter train, ParquetChunkWriter test, SortedDictionary<string, ParquetChunkWriter> batchWriters,
        string directory, IReadOnlyList<ColumnLayout> layout, CancellationToken ct)
    {
        var n = chunk.RowCount;
        var toTrain = new bool[n];
        var toTest = new bool[n];
        var month = new int[n]; // year * 12 + month - 1 of test rows, for batches
        long dropped = 0;
        DateTime?[]? times = split is TimeSplit t ? chunk.Timestamps(t.TimestampColumn) : null;
        for (var i = 0; i < n; i++)
        {
            if (!kept[i]) { dropped++; continue; }
            switch (split)
            {
                case RandomSplit random:
                    if (random.IsTrain(chunk.FirstRow + i)) toTrain[i] = true; else toTest[i] = true;
                    break;
                case TimeSplit timeSplit:
                    if (times![i] is not { } time) { dropped++; continue; }
                    if (time < timeSplit.TestFrom) toTrain[i] = true;
                    else
                    {
                        toTest[i] = true;
                        month[i] = (time.Year * 12) + time.Month - 1;
                    }
                    break;
            }
        }
        await train.WriteAsync(prepared.Where(toTrain, toTrain.Count(b => b), train.RowsWritten), ct);
        await test.WriteAsync(prepared.Where(toTest, toTest.Count(b => b), test.RowsWritten), ct);
        if (times is null) return dropped;

        foreach (var key in Enumerable.Range(0, n).Where(i => toTest[i]).Select(i => month[i]).Distinct().Order())
        {
            var name = BatchFile(key / 12, (key % 12) + 1);
            if (!batchWriters.TryGetValue(name, out var writer))
                batchWriters[name] = writer = await ParquetChunkWriter.CreateAsync(Path.Combine(directory, name), layout, ct);
            var inBatch = new bool[n];
            for (var i = 0; i < n; i++) inBatch[i] = toTest[i] && month[i] == key;
            await writer.WriteAsync(prepared.Where(inBatch, inBatch.Count(b => b), writer.RowsWritten), ct);
        }
        return dropped;
    }
}
