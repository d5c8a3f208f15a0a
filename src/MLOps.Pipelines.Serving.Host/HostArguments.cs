using System.Globalization;

namespace MLOps.Pipelines.Serving.Host;

/// <summary>The command line: <c>--model-dir DIR</c> (repeatable), <c>--urls URL[;URL]</c>, optional limits and dynamic batching.</summary>
internal sealed record HostArguments(
    IReadOnlyList<string> ModelDirectories, IReadOnlyList<string> Urls, long? MaxBodyBytes, int? MaxBatchRows, DynamicBatching Batching, bool WholeGraphInOnnxRuntime, bool TreesInOnnxRuntime = false)
{
    /// <summary><c>--urls-when-ready</c>: listened on, sharing the port, once every model is ready (a blue/green switch's stable port).</summary>
    public IReadOnlyList<string> UrlsWhenReady { get; init; } = [];

    public const string Usage =
        "usage: mlops-serve --model-dir DIR [--model-dir DIR ...] [--urls http://127.0.0.1:8080] [--urls-when-ready URL (bound once ready, port shared)] [--max-body-bytes N] [--max-batch N] " +
        "[--batch-rows N (dynamic batching: most rows a call, e.g. 64; default 1 = off)] [--batch-delay-us N (default 0)] [--batch-concurrency N (default: half the cores)] " +
        "[--whole-graph-in-onnxruntime (feature encoders in ONNX Runtime too)] [--trees-in-onnxruntime (trees and calibration in ONNX Runtime, encoders managed)]";

    /// <exception cref="ArgumentException">A bad argument, with one line naming it and the fix.</exception>
    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var dirs = new List<string>();
        var urls = new List<string>();
        var urlsWhenReady = new List<string>();
        long? maxBody = null;
        int? maxBatch = null;
        var batching = new DynamicBatching();
        var wholeGraph = false;
        var trees = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            switch (args[i])
            {
                case "--model-dir": dirs.Add(Value()); break;
                case "--urls": urls.AddRange(Value().Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--urls-when-ready":
                    foreach (var url in Value().Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        urlsWhenReady.Add(Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == "http" && u.Port > 0
                            ? url : throw new ArgumentException($"--urls-when-ready {url} must be an http URL with a port, e.g. http://127.0.0.1:8080"));
                    break;
                case "--max-body-bytes":
                    var body = Value();
                    maxBody = long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b > 0 ? b : throw new ArgumentException($"--max-body-bytes {body} must be a positive integer");
                    break;
                case "--max-batch":
                    var batch = Value();
                    maxBatch = int.TryParse(batch, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--max-batch {batch} must be a positive integer");
                    break;
                case "--whole-graph-in-onnxruntime": wholeGraph = true; break;
                case "--trees-in-onnxruntime": trees = true; break;
                case "--batch-rows": batching = batching with { MaxRows = Positive(args[i], Value()) }; break;
                case "--batch-concurrency": batching = batching with { ConcurrentBatches = Positive(args[i], Value()) }; break;
                case "--batch-delay-us":
                    var delay = Value();
                    batching = batching with
                    {
                        MaxDelay = int.TryParse(delay, NumberStyles.None, CultureInfo.InvariantCulture, out var us)
                            ? TimeSpan.FromMicroseconds(us) : throw new ArgumentException($"--batch-delay-us {delay} must be a whole number of microseconds"),
                    };
                    break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'; {Usage}");
            }
        }

        if (dirs.Count == 0) throw new ArgumentException($"no --model-dir given; {Usage}");
        return new HostArguments(dirs, urls.Count > 0 ? urls : ["http://127.0.0.1:8080"], maxBody, maxBatch, batching, wholeGraph, trees) { UrlsWhenReady = urlsWhenReady };
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option} {value} must be a positive integer");
}
