using System.Diagnostics;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Export;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>/metrics in Prometheus text format, checked by Debian's promtool and scraped by a real Prometheus.</summary>
public sealed class MetricsTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [SkippableFact]
    public async Task Metrics_pass_promtool_and_carry_requests_latency_scores_version_and_live_features()
    {
        var promtool = ExternalTool.Require("promtool");
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        var golden = Records.Golden(model.ModelDirectory);
        (await server.PostAsync("/predict", new JsonArray(golden.Records.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString())).Status.ShouldBe(200);
        (await server.PostAsync("/predict", Records.Complete(model.ModelDirectory, r => r["contract"] = "Ten year").ToJsonString())).Status.ShouldBe(200);
        (await server.PostAsync("/predict", "{")).Status.ShouldBe(400);

        var text = await server.MetricsAsync();
        var (exit, output) = await ExternalTool.RunAsync(promtool, ["check", "metrics"], text);

        exit.ShouldBe(0, output);
        var n = golden.Records.Count + 1;
        text.ShouldContain("mlops_model_info{model=\"customer-churn\",version=\"7\",pipeline=\"CustomerChurn\"} 1");
        text.ShouldContain("mlops_model_ready{model=\"customer-churn\"} 1");
        text.ShouldContain("mlops_http_requests_total{route=\"/predict\",method=\"POST\",code=\"200\"} 2");
        text.ShouldContain("mlops_http_request_errors_total{route=\"/predict\",code=\"400\"} 1");
        text.ShouldContain("mlops_http_request_duration_seconds_bucket{route=\"/predict\",le=\"+Inf\"} 3");
        text.ShouldContain($"mlops_prediction_score_count{{model=\"customer-churn\"}} {n}");
        text.ShouldContain($"mlops_predictions_total{{model=\"customer-churn\",version=\"7\"}} {n}");
        text.ShouldContain("mlops_unseen_categories_total{model=\"customer-churn\",feature=\"contract\"} 1");
        text.ShouldContain($"mlops_live_feature_bucket_count{{model=\"customer-churn\",feature=\"tenure\"}} {n}");
        text.ShouldContain("mlops_reference_feature_share{model=\"customer-churn\",feature=\"monthly_charges\",bucket=\"0\"}");
        text.ShouldContain("mlops_live_feature_category_total{model=\"customer-churn\",feature=\"contract\",value=\"Ten year\"} 1");
        var missing = golden.Records.Count(r => r["total_charges"] is null);
        text.ShouldContain($"mlops_live_feature_missing_total{{model=\"customer-churn\",feature=\"total_charges\"}} {missing}");
    }

    [Fact]
    public async Task Live_numeric_values_are_counted_in_their_training_decile_bucket_across_scrapes_beside_the_reference()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        var record = Records.Complete(model.ModelDirectory);
        var tenure = record["tenure"]!.GetValue<double>();
        var reference = ServingManifest.Read(model.ModelDirectory).NumericReference!["tenure"];
        var bucket = reference.Bucket(tenure);
        string Batch(int rows, int missingEvery) => new JsonArray(Enumerable.Range(0, rows).Select(i =>
        {
            var copy = record.DeepClone().AsObject();
            if (i % missingEvery == 0) copy["total_charges"] = null;
            return (JsonNode?)copy;
        }).ToArray()).ToJsonString();

        (await server.PostAsync("/predict", Batch(700, 7))).Status.ShouldBe(200);
        var first = await server.MetricsAsync();
        (await server.PostAsync("/predict", Batch(650, 5))).Status.ShouldBe(200);
        var second = await server.MetricsAsync();

        first.ShouldContain("mlops_live_feature_bucket_count{model=\"customer-churn\",feature=\"tenure\"} 700");
        first.ShouldContain("mlops_live_feature_bucket_count{model=\"customer-churn\",feature=\"total_charges\"} 600");
        second.ShouldContain("mlops_live_feature_bucket_count{model=\"customer-churn\",feature=\"tenure\"} 1350");
        second.ShouldContain("mlops_live_feature_bucket_count{model=\"customer-churn\",feature=\"total_charges\"} 1120");
        second.ShouldContain("mlops_live_feature_missing_total{model=\"customer-churn\",feature=\"total_charges\"} 230");
        // Every value in tenure's bucket: none at or below the edge before it, all at or below its own.
        if (bucket > 0) second.ShouldContain($"mlops_live_feature_bucket_bucket{{model=\"customer-churn\",feature=\"tenure\",le=\"{bucket - 1}\"}} 0");
        second.ShouldContain($"mlops_live_feature_bucket_bucket{{model=\"customer-churn\",feature=\"tenure\",le=\"{bucket}\"}} 1350");
        // The reference beside it: each edge, and the ingested data's share at or below it (the last edge's below 1).
        var last = reference.Edges.Count - 1;
        second.ShouldContain($"mlops_reference_feature_edge{{model=\"customer-churn\",feature=\"tenure\",bucket=\"{last}\"}} {Text(reference.Edges[last])}");
        second.ShouldContain($"mlops_reference_feature_share{{model=\"customer-churn\",feature=\"tenure\",bucket=\"{last}\"}} {Text(reference.Shares.Take(last + 1).Sum())}");
        reference.Shares.Take(last + 1).Sum().ShouldBeInRange(0.85, 0.95); // tenure's deciles are distinct: the 90th percentile
    }

    private static string Text(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_real_prometheus_scrapes_the_server_and_answers_queries_on_its_metrics()
    {
        var prometheus = ExternalTool.Require("prometheus");
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        (await server.PostAsync("/predict", Records.Complete(model.ModelDirectory).ToJsonString())).Status.ShouldBe(200);
        await using var scraper = PrometheusProcess.Start(prometheus, server.BaseAddress, Path.Combine(model.Root, "prometheus-" + Guid.NewGuid().ToString("N")[..8]));

        var info = await scraper.QueryUntilAsync("mlops_model_info");
        info["metric"]!["version"]!.GetValue<string>().ShouldBe("7");
        info["metric"]!["model"]!.GetValue<string>().ShouldBe("customer-churn");
        var up = await scraper.QueryUntilAsync("up{job=\"mlops-serving\"}");
        up["value"]![1]!.GetValue<string>().ShouldBe("1");
        var predictions = await scraper.QueryUntilAsync("mlops_predictions_total");
        predictions["value"]![1]!.GetValue<string>().ShouldBe("1");
    }

    /// <summary>The drift query of docs/serving.md, as written there.</summary>
    public const string DriftQuery = """
        max by (model, feature) (abs(
            label_replace(rate(mlops_live_feature_bucket_bucket{le!="+Inf"}[1h]), "bucket", "$1", "le", "([0-9]+).*")
          / ignoring(le, bucket) group_left rate(mlops_live_feature_bucket_count[1h])
          - ignoring(le) mlops_reference_feature_share
        ))
        """;

    [SkippableFact]
    public async Task The_documented_promql_drift_query_gives_the_largest_gap_between_live_and_training_shares()
    {
        var prometheus = ExternalTool.Require("prometheus");
        File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "serving.md")).ShouldContain(DriftQuery.ReplaceLineEndings("\n"));
        await using var server = await RunningServer.StartAsync([model.ModelDirectory]);
        var reference = ServingManifest.Read(model.ModelDirectory).NumericReference!["tenure"];
        // Tenures across and beyond the training range (0 … 95 months), one request's worth.
        var tenures = Enumerable.Range(0, 240).Select(i => (double)(i * 37 % 96)).ToList();
        var batch = new JsonArray(tenures.Select(t => (JsonNode?)Records.Complete(model.ModelDirectory, r => r["tenure"] = t)).ToArray()).ToJsonString();
        await using var scraper = PrometheusProcess.Start(prometheus, server.BaseAddress, Path.Combine(model.Root, "prometheus-" + Guid.NewGuid().ToString("N")[..8]));
        const string Count = "mlops_live_feature_bucket_count{feature=\"tenure\"}";

        // rate() needs two scrapes of a series: the batch once, scraped, then again. Both alike, so Prometheus's
        // extrapolation at the series' start scales every bucket and the count alike, and the ratio is exact.
        (await server.PostAsync("/predict", batch)).Status.ShouldBe(200);
        await scraper.QueryUntilAsync(Count, sample => sample["value"]![1]!.GetValue<string>() == "240");
        (await server.PostAsync("/predict", batch)).Status.ShouldBe(200);
        await scraper.QueryUntilAsync(Count, sample => sample["value"]![1]!.GetValue<string>() == "480");
        var drift = await scraper.QueryUntilAsync($"({DriftQuery}) and on(feature) {Count}");

        // The same gap computed here: the live share at or below each edge against the training share there.
        var expected = Enumerable.Range(0, reference.Edges.Count).Max(i =>
            Math.Abs(tenures.Count(t => reference.Bucket(t) <= i) / (double)tenures.Count - reference.Shares.Take(i + 1).Sum()));
        drift["metric"]!["feature"]!.GetValue<string>().ShouldBe("tenure");
        double.Parse(drift["value"]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expected, 1e-9);
        expected.ShouldBeGreaterThan(0.05); // the batch is not the training distribution: the query has something to find
    }

    /// <summary>A Prometheus (Debian's) scraping one server every second, on a free loopback port, killed on dispose.</summary>
    private sealed class PrometheusProcess : IAsyncDisposable
    {
        readonly Process _process;
        readonly HttpClient _client;
        readonly System.Text.StringBuilder _log = new();

        PrometheusProcess(Process process, HttpClient client)
        {
            _process = process;
            _client = client;
        }

        public static PrometheusProcess Start(string prometheus, Uri target, string directory)
        {
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: mlops-serving
                    static_configs:
                      - targets: ['{target.Authority}']
                """);
            var port = LoopbackPort.Free();
            var start = new ProcessStartInfo(prometheus) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
                start.ArgumentList.Add(a);
            var process = Process.Start(start)!;
            var started = new PrometheusProcess(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) });
            process.ErrorDataReceived += (_, e) => { lock (started._log) started._log.AppendLine(e.Data); };
            process.OutputDataReceived += (_, e) => { lock (started._log) started._log.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            return started;
        }

        /// <summary>Polls the query API until the query returns a sample that <paramref name="accept"/>s (scrapes happen every second).</summary>
        public async Task<JsonNode> QueryUntilAsync(string query, Func<JsonNode, bool>? accept = null)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonNode? last = null;
            while (DateTime.UtcNow < deadline)
            {
                _process.HasExited.ShouldBeFalse($"prometheus exited: {Log()}");
                try
                {
                    var body = JsonNode.Parse(await _client.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query)))!;
                    body["status"]!.GetValue<string>().ShouldBe("success", body.ToJsonString());
                    if (body["data"]?["result"] is JsonArray { Count: > 0 } result && (last = result[0]!) is var sample && (accept?.Invoke(sample) ?? true))
                        return sample;
                }
                catch (HttpRequestException e) when (e.StatusCode is null or System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    // not listening yet, or listening but its storage not ready (503)
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"prometheus returned no accepted sample for {query} within 60 s (last: {last?.ToJsonString() ?? "none"}); its log:\n{Log()}");
        }

        string Log()
        {
            lock (_log) return _log.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
            _client.Dispose();
        }
    }
}
