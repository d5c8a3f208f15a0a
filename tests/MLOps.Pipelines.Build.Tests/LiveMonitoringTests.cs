using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLOps.Pipelines.ML.Artifacts;
using MLOps.Pipelines.ML.Catalog;
using MLOps.Pipelines.ML.Data;
using MLOps.Pipelines.ML.Export;
using MLOps.Pipelines.ML.Monitoring;
using MLOps.Pipelines.Serving;
using MLOps.Pipelines.Serving.Http;
using Pipelines;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// Monitor on live traffic: the build's exported churn model served by a real model server on loopback, real
/// predictions sent to it (a random sample of customers to one name, new month-to-month fibre customers to another),
/// then <c>Monitor@CustomerChurn --batch http://127.0.0.1:PORT/live/NAME/summary</c> (and <c>…/sample.csv</c>) through the
/// real build program: the verdict line, <c>--fail-on-drift</c>'s exit code and the drift report.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ChurnRepository.Collection)]
public sealed class LiveMonitoringTests(ChurnRepository seeded)
{
    [Fact]
    public async Task Monitor_reads_a_running_servers_live_summary_and_only_shifted_traffic_raises_the_alarm()
    {
        var copy = seeded.Copy();
        string root = copy.Path;
        try
        {
            var (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("Export"), .. ChurnRepository.Churn]);
            exit.ShouldBe(0, output);
            var definition = PipelineCatalog.Get("CustomerChurn");
            var paths = definition.Artifacts(AbsolutePath.Create(root), AbsolutePath.Create(root) / "artifacts");
            var control = Serve(root, paths, definition, "churn-control");
            var drifted = Serve(root, paths, definition, "churn-drifted");

            await using var server = ModelServer.Create(new ServerOptions
            {
                ModelDirectories = [control, drifted],
                ResolvePipeline = m => PipelineCatalog.All.FirstOrDefault(d => d.Name == m.Pipeline) is { } p ? new PipelineFeatures(p.Schema, p.Features) : null,
                Urls = ["http://127.0.0.1:0"],
                MaxRequestBodyBytes = 8 * 1024 * 1024,
            });
            await server.StartAsync();
            await server.WaitUntilLoadedAsync();
            server.Ready.ShouldBeTrue(string.Join("; ", server.Models.Select(m => m.Failure)));
            using var client = new HttpClient { BaseAddress = new Uri(server.Addresses.Single()) };

            var rows = Customers(definition.Schema);
            var sample = rows.Where((_, i) => i % 7 == 0).ToList();
            var shifted = rows.Where(r => (string)r["contract"]! == "Month-to-month" && (string)r["internet_service"]! == "Fiber optic" && (long)r["tenure"]! < 12).ToList();
            await PredictAsync(client, "churn-control", sample);
            await PredictAsync(client, "churn-drifted", shifted);
            var summary = new Uri(client.BaseAddress, "/live/churn-control/summary").ToString();

            // The random sample of customers: no alarm, even with --fail-on-drift.
            (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("Monitor"), "--batch", summary, "--fail-on-drift", .. ChurnRepository.Churn]);
            exit.ShouldBe(0, output);
            output.ShouldMatch(@"drift: none \(\d+ of 19 features\)");
            var downloaded = Path.Combine(paths.Monitoring, "batch", "live-batch.json");
            FeatureSummaryFile.Read(downloaded).Rows.ShouldBe(sample.Count);
            using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(paths.Monitoring, MonitorReportWriter.JsonFile))))
            {
                report.RootElement.GetProperty("batch").GetString().ShouldBe("live-batch.json");
                report.RootElement.GetProperty("verdict").GetString()!.ShouldStartWith("drift: none");
                report.RootElement.GetProperty("drift").GetProperty("current_rows").GetInt64().ShouldBe(sample.Count);
            }

            // The shifted traffic: the data-set alarm, and --fail-on-drift makes it exit 1 for CI.
            (exit, output) = await BuildProgram.RunAsync(root,
                [ChurnRepository.Of("Monitor"), "--batch", summary.Replace("churn-control", "churn-drifted", StringComparison.Ordinal), "--fail-on-drift", .. ChurnRepository.Churn]);
            exit.ShouldBe(1, output);
            var verdict = System.Text.RegularExpressions.Regex.Match(output, @"drift: detected \(\d+ of 19 features\)");
            verdict.Success.ShouldBeTrue(output);
            using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(paths.Monitoring, MonitorReportWriter.JsonFile))))
            {
                report.RootElement.GetProperty("verdict").GetString().ShouldBe(verdict.Value);
                report.RootElement.GetProperty("drift").GetProperty("current_rows").GetInt64().ShouldBe(shifted.Count);
                var features = report.RootElement.GetProperty("drift").GetProperty("features").EnumerateArray()
                    .ToDictionary(f => f.GetProperty("feature").GetString()!, f => f.GetProperty("drifted").GetBoolean());
                features["contract"].ShouldBeTrue();
                features["tenure"].ShouldBeTrue();
            }
            File.ReadAllText(Path.Combine(paths.Monitoring, MonitorReportWriter.HtmlFile)).ShouldContain(verdict.Value);

            // The raw sample of the same traffic also reaches Monitor (and its data quality with it).
            (exit, output) = await BuildProgram.RunAsync(root,
                [ChurnRepository.Of("Monitor"), "--batch", new Uri(client.BaseAddress, "/live/churn-drifted/sample.csv").ToString(), .. ChurnRepository.Churn]);
            exit.ShouldBe(0, output);
            output.ShouldMatch(@"drift: detected \(\d+ of 19 features\)");
            output.ShouldContain($"data quality: 0 of {shifted.Count} rows rejected");
        }
        finally
        {
            copy.Dispose();
        }
    }

    /// <summary>The build's export made servable under <paramref name="name"/>, as Package does (golden.json, model.json).</summary>
    static string Serve(string root, PipelineArtifacts paths, PipelineDefinition definition, string name)
    {
        var directory = Path.Combine(root, "serve", name);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(paths.Exported)) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        ServingDirectory.Write(directory, definition, paths.IngestedData, "1");
        (ServingManifest.Read(directory) with { Name = name }).Write(directory);
        return directory;
    }

    /// <summary>Every customer of data/telco-churn.csv as a request record: the raw schema's fields typed as it declares, without the label.</summary>
    static List<JsonObject> Customers(SchemaContract schema)
    {
        var lines = File.ReadAllLines(RepositoryRoot.Data("telco-churn.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',').Select(c => c.Trim('"')).ToArray();
            var record = new JsonObject();
            for (var i = 0; i < header.Length; i++)
            {
                if (header[i] == schema.Label) continue;
                record[header[i]] = schema[header[i]].Type switch
                {
                    ColumnType.Int64 => JsonValue.Create(long.Parse(cells[i], CultureInfo.InvariantCulture)),
                    ColumnType.Double => cells[i].Trim().Length == 0 ? null : JsonValue.Create(double.Parse(cells[i], CultureInfo.InvariantCulture)),
                    _ => JsonValue.Create(cells[i]),
                };
            }
            return record;
        }).ToList();
    }

    static async Task PredictAsync(HttpClient client, string model, IReadOnlyList<JsonObject> records)
    {
        foreach (var chunk in records.Chunk(500))
        {
            using var response = await client.PostAsync($"/predict/{model}",
                new StringContent(new JsonArray(chunk.Select(r => (JsonNode?)r.DeepClone()).ToArray()).ToJsonString(), Encoding.UTF8, "application/json"));
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        }
    }
}
