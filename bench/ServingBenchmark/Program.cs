using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.ML.Catalog;
using System.Diagnostics;
using Microsoft.Data.Analysis;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Stages;
using MLOps.Pipelines.ML.Training;
using MLOps.Pipelines.Serving;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Telemetry;
using Pipelines;

// ServingBenchmark --out DIR [--copies N] [--batch N] [--model catalog|large]
// Trains the churn pipeline's model (catalog definition with its own training defaults — what `./build.sh Train`
// fits — on 2 threads; `--model large` uses the library's flights defaults, 250 trees of 255 leaves, as this benchmark
// did before 2026-11-30 15:30), writes a servable model
// directory DIR/customer-churn (model.onnx, golden.json, model.json), then scores the ingested rows N times over in
// batches: the server's path (raw rows → FeatureDefinition → the scoring path it chose at load) against ML.NET's engine
// (the Evaluate path); then µs per one-record call for each scoring path in this process: whole graph in ONNX Runtime,
// managed encoders + trees in ONNX Runtime (--trees-in-onnxruntime), whole graph in managed code (the default).
string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var output = Path.GetFullPath(Arg("--out", Path.Combine(Path.GetTempPath(), "mlops-serving-bench")));
var copies = int.Parse(Arg("--copies", "3"), System.Globalization.CultureInfo.InvariantCulture);
var batchRows = int.Parse(Arg("--batch", "10000"), System.Globalization.CultureInfo.InvariantCulture);
var modelSize = Arg("--model", "catalog");
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "MLOps.Pipelines.sln"))) root = Path.GetDirectoryName(root)!;

var definition = PipelineCatalog.Get("CustomerChurn");
var work = Path.Combine(output, "work");
var ingest = IngestStage.Run(Path.Combine(root, "data", definition.RawFile), definition.Schema, Path.Combine(work, "ingested"));
var prepared = Path.Combine(work, "prepared");
PrepareStage.Run(ingest.DataPath, definition.Features, definition.Split(SplitKind.Random, 0.8, 42), prepared);
var zip = Path.Combine(work, "model.zip");
var training = modelSize switch
{
    "catalog" => definition.Training with { Threads = 2 },
    "large" => new TrainingOptions(Threads: 2),
    _ => throw new ArgumentException($"--model {modelSize}: use catalog (the pipeline's training defaults) or large (250 trees of 255 leaves)"),
};
TrainStage.Run(prepared, definition.Spec, training, zip);
Console.WriteLine($"model: {training.Trainer}, {training.Trees} trees, {training.Leaves} leaves ({modelSize})");
var modelDir = Path.Combine(output, definition.ModelName);
ExportStage.Run(zip, prepared, modelDir);
ServingDirectory.Write(modelDir, definition, ingest.DataPath, "1");
Console.WriteLine($"model directory: {modelDir}");

// The same rows for both engines: the ingested file, repeated.
var frame = ParquetTable.ReadDataFrame(ingest.DataPath);
var n = (int)frame.Rows.Count;
var columns = new Dictionary<string, Array>(StringComparer.Ordinal);
foreach (var column in definition.Schema.Columns.Where(c => c.Name != definition.Schema.Label))
{
    var source = frame.Columns[column.Name];
    columns[column.Name] = column.Type switch
    {
        ColumnType.Int64 => Repeat(Enumerable.Range(0, n).Select(i => (long?)Convert.ToInt64(source[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), copies),
        ColumnType.Double => Repeat(Enumerable.Range(0, n).Select(i => source[i] is null ? null : (double?)Convert.ToDouble(source[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), copies),
        _ => Repeat(Enumerable.Range(0, n).Select(i => (string?)source[i]?.ToString()).ToArray(), copies),
    };
}

var rows = n * copies;
var trained = TrainedModel.Load(zip);
var features = new DataFrame(trained.InputSchema.Select(c => c.Type.RawType == typeof(float)
    ? (DataFrameColumn)new PrimitiveDataFrameColumn<float>(c.Name, Repeat(Enumerable.Range(0, n).Select(i => frame.Columns[c.Name][i] is { } v ? Convert.ToSingle(v, System.Globalization.CultureInfo.InvariantCulture) : float.NaN).ToArray(), copies))
    : new StringDataFrameColumn(c.Name, Repeat(Enumerable.Range(0, n).Select(i => frame.Columns[c.Name][i]?.ToString()).ToArray(), copies))));

var metrics = new ServerMetrics();
using var served = ServedModel.Open(modelDir, m => new PipelineFeatures(definition.Schema, definition.Features), metrics);
served.Load();
if (served.Status != ModelStatus.Ready) throw new InvalidOperationException(served.Failure);
Console.WriteLine($"scoring path: {served.ScoringPath}");
using var wholeGraph = ServedModel.Open(modelDir, m => new PipelineFeatures(definition.Schema, definition.Features), new ServerMetrics(), wholeGraphInOnnxRuntime: true);
wholeGraph.Load();
if (wholeGraph.Status != ModelStatus.Ready) throw new InvalidOperationException(wholeGraph.Failure);
using var treesInOrt = ServedModel.Open(modelDir, m => new PipelineFeatures(definition.Schema, definition.Features), new ServerMetrics(), treesInOnnxRuntime: true);
treesInOrt.Load();
if (treesInOrt.Status != ModelStatus.Ready) throw new InvalidOperationException(treesInOrt.Failure);
Console.WriteLine($"A/B baseline path: {treesInOrt.ScoringPath}");

double Measure(string label, Action run)
{
    run(); // warm-up
    var best = double.MaxValue;
    for (var round = 0; round < 2; round++)
    {
        var clock = Stopwatch.StartNew();
        run();
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }

    var perSecond = rows / best;
    Console.WriteLine($"{label,-58} {perSecond,12:N0} rows/s ({best * 1000:N0} ms for {rows:N0} rows, best of 2)");
    return perSecond;
}

float[]? mlnet = null;
var reference = Measure("ML.NET engine (TrainedModel.PredictProbabilities)", () => mlnet = trained.PredictProbabilities(features));
float[] server = new float[rows];
var serving = Measure($"server path, batches of {batchRows:N0} (features + scoring path)", () =>
{
    for (var start = 0; start < rows; start += batchRows)
    {
        var count = Math.Min(batchRows, rows - start);
        var slice = columns.ToDictionary(kv => kv.Key, kv => Slice(kv.Value, start, count), StringComparer.Ordinal);
        var prediction = served.Predict(new RawBatch(slice, count), observe: false);
        prediction.Probabilities.CopyTo(server, start);
    }
});
var worst = Enumerable.Range(0, rows).Max(i => Math.Abs(server[i] - mlnet![i]));
Console.WriteLine($"server path / ML.NET engine: {serving / reference:F2}x; largest probability difference {worst:G3}");
// One record at a time, as an HTTP request scores it: where does a single request's time go? Median and p90 of
// single calls (a median resists the other processes sharing the machine better than a mean).
var one = columns.ToDictionary(kv => kv.Key, kv => Slice(kv.Value, 0, 1), StringComparer.Ordinal);
// The paths are measured in interleaved rounds (each round times every path in turn) so that load from other
// processes on the machine falls on all of them alike.
var perCall = Interleaved(
    () => RawFeatureRows.Compute(definition.Features, RawFeatureRows.Chunk(definition.Schema, one, 1)),
    () => wholeGraph.Predict(new RawBatch(one, 1), observe: false),
    () => treesInOrt.Predict(new RawBatch(one, 1), observe: false),
    () => served.Predict(new RawBatch(one, 1), observe: false),
    () => served.Predict(new RawBatch(one, 1), observe: true));
var (featureOnly, whole, split, scored, observed) = (perCall[0], perCall[1], perCall[2], perCall[3], perCall[4]);
Console.WriteLine($"one record per call, median (p90) µs: features (RawFeatureRows) {featureOnly.Median:N1} ({featureOnly.P90:N1}); " +
    $"features + whole graph in ONNX Runtime {whole.Median:N1} ({whole.P90:N1}); " +
    $"features + managed encoders + trees in ONNX Runtime {split.Median:N1} ({split.P90:N1}); " +
    $"features + whole graph in managed code (managed trees) {scored.Median:N1} ({scored.P90:N1}); + metrics and live sample {observed.Median:N1} ({observed.P90:N1})");
Console.WriteLine($"one record, scoring only (median minus features) µs: whole graph in ONNX Runtime {whole.Median - featureOnly.Median:N1}; " +
    $"managed encoders + trees in ONNX Runtime {split.Median - featureOnly.Median:N1}; managed trees {scored.Median - featureOnly.Median:N1}; " +
    $"per call with features: managed trees / trees in ONNX Runtime {scored.Median / split.Median:F2}x, managed trees / whole graph in ONNX Runtime {scored.Median / whole.Median:F2}x");
// What dynamic batching can save: the same calls with 8 records (the wrk connections), per record.
var eight = columns.ToDictionary(kv => kv.Key, kv => Slice(kv.Value, 0, 8), StringComparer.Ordinal);
var perEight = Interleaved(
    () => wholeGraph.Predict(new RawBatch(eight, 8), observe: false),
    () => treesInOrt.Predict(new RawBatch(eight, 8), observe: false),
    () => served.Predict(new RawBatch(eight, 8), observe: false));
var (wholeEight, splitEight, managedEight) = (perEight[0], perEight[1], perEight[2]);
Console.WriteLine($"8 records per call, median µs per record: whole graph in ONNX Runtime {wholeEight.Median / 8:N1}; managed encoders + trees in ONNX Runtime {splitEight.Median / 8:N1}; " +
    $"whole graph in managed code {managedEight.Median / 8:N1}");

return 0;

static (double Median, double P90)[] Interleaved(params Action[] calls)
{
    const int rounds = 10, perRound = 300;
    // Long enough a warm-up for tiered compilation to reach its optimised code on a busy machine.
    foreach (var call in calls)
        for (var i = 0; i < 3_000; i++) call();
    var times = calls.Select(_ => new List<double>(rounds * perRound)).ToArray();
    for (var round = 0; round < rounds; round++)
    {
        for (var k = 0; k < calls.Length; k++)
        {
            for (var i = 0; i < perRound; i++)
            {
                var start = Stopwatch.GetTimestamp();
                calls[k]();
                times[k].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }
    }

    return [.. times.Select(t =>
    {
        t.Sort();
        return (t[t.Count / 2], t[t.Count * 9 / 10]);
    })];
}

static T[] Repeat<T>(T[] values, int copies) => Enumerable.Range(0, copies).SelectMany(_ => values).ToArray();

static Array Slice(Array values, int start, int count)
{
    var slice = Array.CreateInstance(values.GetType().GetElementType()!, count);
    Array.Copy(values, start, slice, 0, count);
    return slice;
}
