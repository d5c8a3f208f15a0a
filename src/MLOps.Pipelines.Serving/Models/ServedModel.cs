using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Features;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Scoring;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Models;

/// <summary>
/// One model a server serves: its directory (model.onnx, golden.json, model.json), its pipeline's schema and feature
/// code, the ONNX session, and its status. <see cref="Open"/> reads only model.json (a bad directory fails the host at
/// start); <see cref="Load"/> opens the session and runs the self-check, after which the model is ready or failed.
/// </summary>
public sealed class ServedModel : IDisposable
{
    public const string OnnxFile = "model.onnx";

    private readonly ServerMetrics metrics;
    private readonly int liveSampleRows;
    private readonly DynamicBatcher batcher;
    private readonly bool wholeGraphInOnnxRuntime;
    private readonly bool treesInOnnxRuntime;
    private OnnxScorer? wholeGraph;
    private IFeatureScorer? scorer;
    // Each text input's training categories, and where the input is among a request's computed features.
    private (string Feature, IReadOnlySet<string> Known)[] vocabulary = [];
    private ColumnPositions vocabularyPositions = new([]);
    private volatile ModelStatus status = ModelStatus.Loading;
    // Per-model metric children, looked up on first use instead of on every request.
    private Prometheus.Histogram.Child? scoreHistogram;
    private Prometheus.Counter.Child? predictionCount;

    private ServedModel(string directory, ServingManifest manifest, PipelineFeatures pipeline, ServerMetrics metrics, int liveSampleRows, DynamicBatching? batching, bool wholeGraphInOnnxRuntime, bool treesInOnnxRuntime)
    {
        this.wholeGraphInOnnxRuntime = wholeGraphInOnnxRuntime;
        this.treesInOnnxRuntime = treesInOnnxRuntime;
        Directory = directory;
        Manifest = manifest;
        Pipeline = pipeline;
        this.metrics = metrics;
        this.liveSampleRows = liveSampleRows;
        Live = new LiveFeatureMonitor(manifest.Name, pipeline.Schema, pipeline.Features.Spec, new Dictionary<string, IReadOnlySet<string>>(), new Dictionary<string, NumericReference>(), metrics, liveSampleRows);
        var batchRows = metrics.BatchRows.WithLabels(manifest.Name);
        batcher = new DynamicBatcher(b => Predict(b), rows => batchRows.Observe(rows),
            (batching ?? DynamicBatching.None).MaxRows, (batching ?? DynamicBatching.None).ResolvedConcurrentBatches, (batching ?? DynamicBatching.None).MaxDelay);
    }

    public string Directory { get; }
    public ServingManifest Manifest { get; }
    public string Name => Manifest.Name;
    public string Version => Manifest.Version;
    public PipelineFeatures Pipeline { get; }
    public ModelStatus Status => status;

    /// <summary>Why the model is not ready (load or self-check failure), or null.</summary>
    public string? Failure { get; private set; }

    internal LiveFeatureMonitor Live { get; private set; }

    /// <summary>How the model is scored: which nodes run in managed code and which in ONNX Runtime, or why the whole graph runs in ONNX Runtime.</summary>
    public string ScoringPath { get; private set; } = "not loaded";

    /// <summary>The classes of a multiclass model in probability order; null for binary (known after loading).</summary>
    public IReadOnlyList<string>? Classes { get; private set; }

    /// <summary>Reads model.json and resolves its pipeline; throws <see cref="InvalidDataException"/> with one line naming the problem.</summary>
    /// <param name="batching">Dynamic batching of <see cref="PredictAsync"/> (rows, delay, concurrent batches); null scores each request alone.</param>
    /// <param name="wholeGraphInOnnxRuntime">Run the feature-encoding nodes in ONNX Runtime too, instead of in managed code (see <see cref="FeatureVectorEncoder"/>).</param>
    /// <param name="treesInOnnxRuntime">Run the trees and what follows them in ONNX Runtime (the encoders stay managed) instead of in managed code (see <see cref="ManagedOnnxScorer"/>); for A/B measurements.</param>
    public static ServedModel Open(
        string directory, Func<ServingManifest, PipelineFeatures?> resolve, ServerMetrics metrics, int liveSampleRows = 10_000, DynamicBatching? batching = null,
        bool wholeGraphInOnnxRuntime = false, bool treesInOnnxRuntime = false)
    {
        var dir = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(dir)) throw new DirectoryNotFoundException($"--model-dir {directory}: no such directory.");
        var manifest = ServingManifest.Read(dir);
        var pipeline = resolve(manifest) ?? throw new InvalidDataException(
            $"{Path.Combine(dir, ServingManifest.FileName)}: pipeline '{manifest.Pipeline}' is not in this server's catalog; rebuild the host with it or fix model.json.");
        var identity = ServingManifest.FeatureIdentity(pipeline.Features);
        if (!identity.SequenceEqual(manifest.Features))
            throw new InvalidDataException(
                $"{Path.Combine(dir, ServingManifest.FileName)}: the model was trained with features [{string.Join(", ", manifest.Features)}] but pipeline '{manifest.Pipeline}' now defines [{string.Join(", ", identity)}]; serve it with the code it was trained with or retrain.");
        if (pipeline.Schema.Name != manifest.Schema)
            throw new InvalidDataException($"{Path.Combine(dir, ServingManifest.FileName)}: schema '{manifest.Schema}' differs from pipeline '{manifest.Pipeline}''s schema '{pipeline.Schema.Name}'.");
        return new ServedModel(dir, manifest, pipeline, metrics, liveSampleRows, batching, wholeGraphInOnnxRuntime, treesInOnnxRuntime);
    }

    /// <summary>Opens the ONNX session and checks it against golden.json; afterwards <see cref="Status"/> is Ready or Failed.</summary>
    public void Load()
    {
        metrics.ModelInfo.WithLabels(Name, Version, Manifest.Pipeline).Set(1);
        try
        {
            var onnx = Path.Combine(Directory, OnnxFile);
            if (!File.Exists(onnx)) throw new FileNotFoundException($"{onnx}: missing; the model directory needs model.onnx from Export.");
            var goldenPath = Path.Combine(Directory, GoldenRecords.FileName);
            if (!File.Exists(goldenPath)) throw new FileNotFoundException($"{goldenPath}: missing; Export writes it next to model.onnx and readiness needs it.");
            var golden = GoldenRecords.Read(goldenPath);
            var bytes = File.ReadAllBytes(onnx);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(sha, golden.OnnxSha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"{goldenPath}: was written for another model.onnx (sha256 {golden.OnnxSha256[..12]}…, this one is {sha[..12]}…).");

            var whole = wholeGraph = new OnnxScorer(onnx, golden.Output);
            scorer = whole;
            var computed = Pipeline.Features.Spec.Features;
            var unknown = scorer.InputNames.FirstOrDefault(n => !computed.Contains(n));
            if (unknown is not null) throw new InvalidDataException($"{onnx}: wants input '{unknown}', which pipeline '{Manifest.Pipeline}' does not compute.");
            var categories = OnnxCategoryVocabulary.Read(OnnxGraph.Read(bytes), scorer.InputNames.Where(scorer.IsTextInput));
            vocabulary = [.. categories.Select(kv => (kv.Key, kv.Value))];
            vocabularyPositions = new ColumnPositions(vocabulary.Select(v => v.Feature));
            Live = new LiveFeatureMonitor(Name, Pipeline.Schema, Pipeline.Features.Spec, categories, Manifest.NumericReference ?? new Dictionary<string, NumericReference>(), metrics, liveSampleRows);
            Classes = scorer.Width == 1 ? null
                : Manifest.Classes is { } classes && classes.Count == scorer.Width ? classes
                : Manifest.Classes is { } wrong ? throw new InvalidDataException($"model.json names {wrong.Count} classes but the model outputs {scorer.Width} probabilities.")
                : Enumerable.Range(0, scorer.Width).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

            var goldenBatch = GoldenBatch(golden);
            ScoringPath = "whole graph in ONNX Runtime (asked for)";
            if (!wholeGraphInOnnxRuntime)
            {
                var probe = RawFeatureRows.Compute(Pipeline.Features, RawFeatureRows.Chunk(Pipeline.Schema, goldenBatch.Columns, goldenBatch.RowCount));
                var managedReason = "trees in ONNX Runtime (asked for)";
                var managed = treesInOnnxRuntime ? null : ManagedOnnxScorer.TryCreate(whole, bytes, golden.Output, probe, goldenBatch.RowCount, out managedReason);
                var reason = "";
                var split = managed is null ? SplitOnnxScorer.TryCreate(whole, bytes, golden.Output, probe, goldenBatch.RowCount, out reason) : null;
                scorer = managed ?? split ?? (IFeatureScorer)whole;
                ScoringPath = managed?.Description
                    ?? (split is not null ? $"{split.Description}; not all in managed code: {managedReason}" : $"whole graph in ONNX Runtime: {reason}; not all in managed code: {managedReason}");
            }

            SelfCheck(golden, goldenBatch, goldenPath);
            status = ModelStatus.Ready;
            metrics.ModelReady.WithLabels(Name).Set(1);
        }
        // Any failure while loading or self-checking (a feature the pipeline cannot compute, a key it misses) makes this model
        // not ready with the reason; it must never take the process, and with it the models that did load, down.
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failure = e.Message;
            status = ModelStatus.Failed;
            metrics.ModelReady.WithLabels(Name).Set(0);
        }
    }

    /// <summary>
    /// Scores a request's rows together with other concurrent requests' (dynamic batching, see <see cref="DynamicBatcher"/>);
    /// the prediction holds this request's rows only, and a failure is this request's only.
    /// </summary>
    public Task<Prediction> PredictAsync(RawBatch batch) => batcher.ScoreAsync(batch);

    /// <summary>Scores raw rows: features by the pipeline's own code, then ONNX. Counts unseen categories and live inputs.</summary>
    public Prediction Predict(RawBatch batch, bool observe = true)
    {
        var session = scorer ?? throw new InvalidOperationException($"model '{Name}' is not loaded");
        var chunk = RawFeatureRows.Chunk(Pipeline.Schema, batch.Columns, batch.RowCount);
        var features = RawFeatureRows.Compute(Pipeline.Features, chunk);
        var probabilities = session.Score(features, batch.RowCount);
        var prediction = new Prediction(probabilities, session.Width, batch.RowCount, Classes);
        if (!observe) return prediction;

        var text = vocabularyPositions.Of(features);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            var (feature, known) = vocabulary[i];
            var values = (string?[])text[i];
            var unseen = 0;
            foreach (var v in values)
                if (v is not null && !known.Contains(v)) unseen++;
            if (unseen > 0) metrics.UnseenCategories.WithLabels(Name, feature).Inc(unseen);
        }

        scoreHistogram ??= metrics.Scores.WithLabels(Name);
        predictionCount ??= metrics.Predictions.WithLabels(Name, Version);
        for (var i = 0; i < prediction.Rows; i++) scoreHistogram.Observe(prediction.Score(i));
        predictionCount.Inc(prediction.Rows);
        Live.Observe(batch, features);
        return prediction;
    }

    /// <summary>The golden records go through the same reader and scoring as a <c>POST /predict</c> body.</summary>
    private RawBatch GoldenBatch(GoldenRecords golden)
    {
        using var document = JsonDocument.Parse(new JsonArray(golden.Records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString());
        return RecordsReader.Read(document.RootElement, Pipeline.Schema, int.MaxValue);
    }

    /// <summary>The golden records, scored by the path that will serve, against the probabilities Export recorded.</summary>
    private void SelfCheck(GoldenRecords golden, RawBatch batch, string goldenPath)
    {
        var prediction = Predict(batch, observe: false);
        var tolerance = Math.Min(golden.Tolerance, GoldenRecordsWriter.ExportTolerance);
        for (var i = 0; i < batch.RowCount; i++)
        {
            var expected = golden.Expected[i];
            var actual = prediction.Row(i);
            if (expected.Length != actual.Length)
                throw new InvalidDataException($"{goldenPath}: record {i} expects {expected.Length} probabilities, the model gives {actual.Length}.");
            for (var k = 0; k < expected.Length; k++)
            {
                var difference = Math.Abs((double)expected[k] - actual[k]);
                if (!(difference <= tolerance))
                    throw new InvalidDataException(
                        $"self-check failed: golden record {i} scored {actual[k]:R} where Export recorded {expected[k]:R} (difference {difference:G3} > {tolerance:G3}); not serving it.");
            }
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(scorer, wholeGraph)) scorer?.Dispose();
        wholeGraph?.Dispose();
    }
}
