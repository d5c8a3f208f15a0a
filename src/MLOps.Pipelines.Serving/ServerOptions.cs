using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving;

/// <summary>How a <see cref="ModelServer"/> is set up: which model directories, how their pipelines resolve, and limits.</summary>
public sealed record ServerOptions
{
    /// <summary>Directories holding model.onnx, golden.json and model.json; each model is served under its manifest's name.</summary>
    public required IReadOnlyList<string> ModelDirectories { get; init; }

    /// <summary>Resolves a manifest's pipeline to its schema and feature code; null when the pipeline is unknown.</summary>
    public required Func<ServingManifest, PipelineFeatures?> ResolvePipeline { get; init; }

    /// <summary>Addresses to listen on, e.g. <c>http://127.0.0.1:8080</c> (port 0 picks a free port).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>
    /// Addresses listened on only once every model is ready (loaded, self-check passed), in addition to <see cref="Urls"/>;
    /// every listener then shares its port (SO_REUSEPORT, Linux) with other servers of the same user that share it. A
    /// blue/green switch starts the new release this way on the stable port while the old one still serves it, so the
    /// port never goes without a ready listener. <see cref="ModelServer.Ready"/> waits for them.
    /// </summary>
    public IReadOnlyList<string> UrlsWhenReady { get; init; } = [];

    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most records (or tensor rows) in one request; more get 413.</summary>
    public int MaxBatchRows { get; init; } = 10_000;

    /// <summary>Raw records kept per model (reservoir sample) for the live batch a Monitor stage reads.</summary>
    public int LiveSampleRows { get; init; } = 10_000;

    /// <summary>Dynamic batching of concurrent requests to one model (<see cref="DynamicBatching.None"/> scores each alone).</summary>
    public DynamicBatching Batching { get; init; } = new();

    /// <summary>
    /// Run a model's feature-encoding nodes (one-hot, missing-value replacement, concatenation) in ONNX Runtime as well,
    /// instead of in managed code with only the trees in ONNX Runtime (the split is checked against the whole graph at load).
    /// </summary>
    public bool WholeGraphInOnnxRuntime { get; init; }

    /// <summary>
    /// Run the trees and the calibration in ONNX Runtime (encoders still in managed code) instead of the whole graph in
    /// managed code; for A/B measurements (the managed path is checked against the whole graph at load).
    /// </summary>
    public bool TreesInOnnxRuntime { get; init; }

    /// <summary>How long shutdown waits for in-flight requests to finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
