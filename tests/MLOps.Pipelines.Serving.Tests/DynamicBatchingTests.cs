using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Serving.Input;
using MLOps.Pipelines.Serving.Models;
using MLOps.Pipelines.Serving.Scoring;
using MLOps.Pipelines.Serving.Telemetry;

namespace MLOps.Pipelines.Serving.Tests;

/// <summary>
/// Dynamic batching on the real churn model: requests that queue while a batch is being scored are scored together in
/// one call, each gets exactly its own rows' probabilities (as if scored alone), and one request's failure is its own.
/// </summary>
public sealed class DynamicBatchingTests(ChurnModelFixture model) : IClassFixture<ChurnModelFixture>
{
    [Fact]
    public async Task Without_batching_requests_are_scored_concurrently_not_one_at_a_time()
    {
        // "--batch-rows 1" is batching off: it must not leave a limit of one scoring call at a time behind.
        new DynamicBatching(MaxRows: 1).ResolvedConcurrentBatches.ShouldBe(int.MaxValue);
        new DynamicBatching(MaxRows: 1, ConcurrentBatches: 2).ResolvedConcurrentBatches.ShouldBe(2);
        new DynamicBatching().MaxRows.ShouldBe(1); // off unless asked for
        new DynamicBatching(MaxRows: 64).ResolvedConcurrentBatches.ShouldBe(Math.Max(1, Environment.ProcessorCount / 2));

        using var served = Load();
        var request = Slices(Records.Golden(model.ModelDirectory).Records, [1])[0];
        using var bothInside = new CountdownEvent(2);
        var batcher = new DynamicBatcher(batch =>
        {
            // Each call waits until the other is inside too: serialised scoring would time out here.
            bothInside.Signal();
            bothInside.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue();
            return served.Predict(batch, observe: false);
        }, _ => { }, maxRows: 1, maxConcurrent: DynamicBatching.None.ResolvedConcurrentBatches, maxDelay: TimeSpan.Zero);
        var results = await Task.WhenAll(Task.Run(() => batcher.ScoreAsync(request.Batch)), Task.Run(() => batcher.ScoreAsync(request.Batch)));
        results[0].Probabilities.ShouldBe(results[1].Probabilities);
    }

    [Fact]
    public async Task Requests_queued_behind_a_running_batch_are_scored_in_one_call_and_each_gets_its_own_rows()
    {
        using var served = Load();
        var golden = Records.Golden(model.ModelDirectory);
        int[] sizes = [1, 2, 3, 1, 4, 2];
        var requests = Slices(golden.Records, sizes);
        var calls = new List<int>();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var batcher = Held(served, calls, entered, release);

        // The first request becomes the scorer and is held inside its scoring call; the others queue behind it.
        var first = Task.Run(() => batcher.ScoreAsync(requests[0].Batch));
        entered.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue();
        var queued = requests.Skip(1).Select(r => batcher.ScoreAsync(r.Batch)).ToList();
        queued.ShouldAllBe(t => !t.IsCompleted);
        release.Set();
        var results = await Task.WhenAll([first, .. queued]);

        calls.ShouldBe([1, sizes.Skip(1).Sum()]);
        for (var r = 0; r < requests.Count; r++)
        {
            var alone = served.Predict(requests[r].Batch, observe: false);
            results[r].Rows.ShouldBe(sizes[r]);
            results[r].Probabilities.ShouldBe(alone.Probabilities, tolerance: 1e-6f);
            for (var i = 0; i < sizes[r]; i++)
                results[r].Probabilities[i].ShouldBe(golden.Expected[requests[r].First + i][0], 1e-5);
        }
    }

    [Fact]
    public async Task A_request_that_fails_inside_a_batch_fails_alone_and_the_others_are_answered()
    {
        using var served = Load();
        var golden = Records.Golden(model.ModelDirectory);
        var records = golden.Records.Select(r => (JsonObject)r.DeepClone()).ToList();
        // The third request's only record gets a tenure no other record has: the marker of the rows that fail.
        var marker = Enumerable.Range(0, 121).First(v => records.All(r => r["tenure"]?.GetValue<long>() != v));
        records[3]["tenure"] = marker;
        var requests = Slices(records, [1, 2, 1, 2]);
        var calls = new List<int>();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // A scoring failure tied to one request's rows (the real model scores everything else).
        var batcher = Held(served, calls, entered, release, fails: batch => ((long?[])batch.Columns["tenure"]).Contains(marker));

        var first = Task.Run(() => batcher.ScoreAsync(requests[0].Batch));
        entered.Wait(TimeSpan.FromSeconds(30)).ShouldBeTrue();
        var queued = requests.Skip(1).Select(r => batcher.ScoreAsync(r.Batch)).ToList();
        release.Set();

        (await first).Rows.ShouldBe(1);
        (await queued[0]).Probabilities[1].ShouldBe(golden.Expected[requests[1].First + 1][0], 1e-5);
        (await Should.ThrowAsync<InvalidOperationException>(() => queued[1])).Message.ShouldBe("cannot score these rows");
        (await queued[2]).Probabilities.ShouldBe(served.Predict(requests[3].Batch, observe: false).Probabilities, tolerance: 1e-6f);
        // The batch of the three queued requests failed as a whole, then each was scored alone.
        calls.ShouldBe([1, 5, 2, 1, 2]);
    }

    [Fact]
    public async Task Concurrent_http_requests_share_scoring_calls_and_bad_ones_get_their_own_400()
    {
        await using var server = await RunningServer.StartAsync([model.ModelDirectory],
            o => o with { Batching = new DynamicBatching(MaxRows: 64, MaxDelay: TimeSpan.FromMilliseconds(100), ConcurrentBatches: 1) });
        var golden = Records.Golden(model.ModelDirectory);
        var good = Enumerable.Range(0, 16).Select(i => (Index: i % golden.Records.Count, Task: server.PostAsync("/predict", golden.Records[i % golden.Records.Count].ToJsonString()))).ToList();
        var bad = new[]
        {
            server.PostAsync("/predict", Records.Complete(model.ModelDirectory, r => r["tenure"] = "long").ToJsonString()),
            server.PostAsync("/predict", Records.Complete(model.ModelDirectory, r => r["no_such_field"] = 1).ToJsonString()),
            server.PostAsync($"/v2/models/{ChurnModelFixture.Name}/infer", "{\"inputs\": [}"),
        };

        foreach (var (index, task) in good)
        {
            var (status, body) = await task;
            status.ShouldBe(200, body?.ToJsonString());
            var prediction = body!["predictions"]!.AsArray().Single()!;
            prediction["probability"]!.GetValue<float>().ShouldBe(golden.Expected[index][0], 1e-5);
        }

        foreach (var task in bad) (await task).Status.ShouldBe(400);
        var metrics = await server.MetricsAsync();
        Sample(metrics, "mlops_predictions_total{model=\"customer-churn\"").ShouldBe(16);
        Sample(metrics, "mlops_batch_rows_sum{model=\"customer-churn\"}").ShouldBe(16);
        // 16 requests within the 100 ms a scorer waits for company: fewer scoring calls than requests.
        Sample(metrics, "mlops_batch_rows_count{model=\"customer-churn\"}").ShouldBeLessThan(16);
    }

    /// <summary>
    /// One scorer of up to 64 rows whose every call records its rows, signals <paramref name="entered"/> and waits for
    /// <paramref name="release"/> before scoring with the real model (or throwing, for the rows <paramref name="fails"/> picks):
    /// requests sent meanwhile queue behind it.
    /// </summary>
    private static DynamicBatcher Held(
        ServedModel served, List<int> calls, ManualResetEventSlim entered, ManualResetEventSlim release, Func<RawBatch, bool>? fails = null) =>
        new(batch =>
        {
            lock (calls) calls.Add(batch.RowCount);
            entered.Set();
            release.Wait();
            if (fails?.Invoke(batch) == true) throw new InvalidOperationException("cannot score these rows");
            return served.Predict(batch, observe: false);
        }, _ => { }, maxRows: 64, maxConcurrent: 1, maxDelay: TimeSpan.Zero);

    private ServedModel Load()
    {
        var served = ServedModel.Open(model.ModelDirectory, ChurnModelFixture.Resolve, new ServerMetrics());
        served.Load();
        served.Status.ShouldBe(ModelStatus.Ready, served.Failure);
        return served;
    }

    /// <summary>Consecutive golden records cut into requests of the given sizes, each read as a /predict body is.</summary>
    private List<(int First, RawBatch Batch)> Slices(IReadOnlyList<JsonObject> records, int[] sizes)
    {
        var result = new List<(int, RawBatch)>();
        var first = 0;
        foreach (var size in sizes)
        {
            var body = new JsonArray(records.Skip(first).Take(size).Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString();
            using var document = JsonDocument.Parse(body);
            result.Add((first, RecordsReader.Read(document.RootElement, model.Definition.Schema, 1_000)));
            first += size;
        }

        return result;
    }

    private static double Sample(string metrics, string prefix) =>
        metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
