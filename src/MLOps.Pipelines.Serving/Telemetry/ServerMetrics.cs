using System.Collections.Concurrent;
using System.Globalization;
using Prometheus;

namespace MLOps.Pipelines.Serving.Telemetry;

/// <summary>
/// The server's Prometheus metrics, in a registry of its own (several servers may share a process in tests):
/// HTTP requests, errors and latency by route; scores; model info and readiness; unseen categories; live inputs.
/// </summary>
public sealed class ServerMetrics
{
    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        // The process's own series (CPU seconds, GC collections by generation, heap and memory), read at scrape time only.
        DotNetStats.Register(Registry);
        var f = Metrics.WithCustomRegistry(Registry);
        // No exemplars: by default every Inc/Observe asks the current Activity for a trace id to attach, on every request.
        f.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        Requests = f.CreateCounter("mlops_http_requests_total", "HTTP requests by route pattern, method and status code.", ["route", "method", "code"]);
        Errors = f.CreateCounter("mlops_http_request_errors_total", "HTTP requests answered with a 4xx or 5xx status, by route pattern and code.", ["route", "code"]);
        Latency = f.CreateHistogram("mlops_http_request_duration_seconds", "Time from request start to response end, by route pattern.",
            new HistogramConfiguration { LabelNames = ["route"], Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        InFlight = f.CreateGauge("mlops_http_requests_in_flight", "Requests being processed now.");
        Scores = f.CreateHistogram("mlops_prediction_score", "Predicted probability of the label returned (binary: positive class).",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.LinearBuckets(0.05, 0.05, 19) });
        BatchRows = f.CreateHistogram("mlops_batch_rows", "Rows per scoring call (dynamic batching coalesces concurrent requests), by model.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = Histogram.ExponentialBuckets(1, 2, 11) });
        Predictions = f.CreateCounter("mlops_predictions_total", "Records scored, by model and version.", ["model", "version"]);
        ModelInfo = f.CreateGauge("mlops_model_info", "1 for each served model; its registry version and pipeline are labels.", ["model", "version", "pipeline"]);
        ModelReady = f.CreateGauge("mlops_model_ready", "1 when the model is loaded and its self-check against golden.json passed.", ["model"]);
        UnseenCategories = f.CreateCounter("mlops_unseen_categories_total",
            "Categorical feature values outside the training vocabulary (scored as training treats them: all-zero one-hot).", ["model", "feature"]);
        // A histogram, not a quantile summary: a summary sorted and merged its buffered values on the request path, up to
        // ~7 µs of infer's ~45 µs of CPU (docs/benchmarks.md, session 8); a histogram also sums across servers. The
        // buckets are each field's own (its training minimum and deciles), so the value counted is the bucket's index.
        LiveNumeric = f.CreateHistogram("mlops_live_feature_bucket",
            "Live numeric input values per raw field, by the field's training-decile bucket: le=\"i\" counts the values at or below the field's edge of bucket=\"i\" (mlops_reference_feature_edge); compare its share with mlops_reference_feature_share for drift.",
            new HistogramConfiguration { LabelNames = ["model", "feature"], Buckets = Histogram.LinearBuckets(0, 1, 10) });
        ReferenceEdge = f.CreateGauge("mlops_reference_feature_edge",
            "Upper edge of each training-decile bucket (bucket=\"i\" bounds mlops_live_feature_bucket's le=\"i\") of a numeric raw field (model.json's numeric_reference, recorded at Export from the ingested data).", ["model", "feature", "bucket"]);
        ReferenceShare = f.CreateGauge("mlops_reference_feature_share",
            "Share of the ingested data's values of a numeric raw field at or below each bucket's edge: what mlops_live_feature_bucket's share should stay near.", ["model", "feature", "bucket"]);
        LiveMissing = f.CreateCounter("mlops_live_feature_missing_total", "Live input values that were missing (null), per raw field.", ["model", "feature"]);
        LiveCategories = f.CreateCounter("mlops_live_feature_category_total",
            "Live categorical input values per raw field and value (values beyond the known ones and a cap count as __other__).", ["model", "feature", "value"]);
    }

    private readonly ConcurrentDictionary<(string Route, string Method, int Status), RequestChildren> requestChildren = new();

    public CollectorRegistry Registry { get; }
    public Counter Requests { get; }
    public Counter Errors { get; }
    public Histogram Latency { get; }
    public Gauge InFlight { get; }
    public Histogram Scores { get; }
    public Histogram BatchRows { get; }
    public Counter Predictions { get; }
    public Gauge ModelInfo { get; }
    public Gauge ModelReady { get; }
    public Counter UnseenCategories { get; }
    public Histogram LiveNumeric { get; }
    public Gauge ReferenceEdge { get; }
    public Gauge ReferenceShare { get; }
    public Counter LiveMissing { get; }
    public Counter LiveCategories { get; }

    /// <summary>
    /// Counts one answered request and its latency. The labelled children are looked up once per route, method and
    /// status and kept: <c>WithLabels</c> on every request allocated and hashed the label set three times over.
    /// </summary>
    public void ObserveRequest(string route, string method, int status, double seconds)
    {
        var key = (route, method, status);
        if (!requestChildren.TryGetValue(key, out var children))
        {
            var code = status.ToString(CultureInfo.InvariantCulture);
            children = requestChildren.GetOrAdd(key, new RequestChildren(
                Requests.WithLabels(route, method, code), status >= 400 ? Errors.WithLabels(route, code) : null, Latency.WithLabels(route)));
        }

        children.Requests.Inc();
        children.Errors?.Inc();
        children.Latency.Observe(seconds);
    }

    /// <summary>The Prometheus text exposition format (version 0.0.4).</summary>
    public async Task WriteAsync(Stream destination, CancellationToken ct) => await Registry.CollectAndExportAsTextAsync(destination, ct);

    private sealed record RequestChildren(Counter.Child Requests, Counter.Child? Errors, Histogram.Child Latency);
}
