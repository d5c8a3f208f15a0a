using System.Text.Json;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// Monitoring and continuous training through the real build program on the real churn data: a random sample of the
/// data (the no-drift control) leaves the champion alone; a batch of new month-to-month fibre customers drifts, fires the
/// alarm, and Retrain trains, gates and registers a challenger, promoted only when it beats the champion, with the
/// registry history and the audit trail saying why. Then the model cards, and a tampered audit record caught.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ChurnRepository.Collection)]
public sealed class ContinuousTrainingTests(ChurnRepository seeded)
{
    /// <summary>The batch rows of data/telco-churn.csv that <paramref name="keep"/> selects (columns by header name), as a CSV in the raw schema.</summary>
    static string Batch(string root, string name, Func<Func<string, string>, int, bool> keep)
    {
        var lines = File.ReadAllLines(Path.Combine(root, "data", "telco-churn.csv"));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        var rows = lines.Skip(1).Where((line, i) =>
        {
            var cells = line.Split(',');
            return keep(column => cells[header.IndexOf(column)].Trim('"'), i);
        });
        var path = Path.Combine(root, name);
        File.WriteAllLines(path, [lines[0], .. rows]);
        return path;
    }

    [Fact]
    public async Task A_drifted_batch_retrains_end_to_end_and_a_no_drift_batch_does_not()
    {
        var copy = seeded.Copy();
        string root = copy.Path;
        try
        {
            var control = Batch(root, "control.csv", (_, i) => i % 7 == 0); // every 7th customer: ~1,000 rows like the training data
            var drifted = Batch(root, "drifted.csv", (c, _) => c("contract") == "Month-to-month" && c("internet_service") == "Fiber optic" && int.Parse(c("tenure")) < 12);
            var before = ChurnRepository.RegisteredVersions(root);

            var (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("Retrain"), "--batch", control, .. ChurnRepository.Churn]);
            exit.ShouldBe(0, output);
            output.ShouldContain("drift: none (");
            output.ShouldContain("no retrain: drift: none");
            BuildProgram.Outcomes(output)[ChurnRepository.Of("Retrain")].ShouldBe("Skipped", output);
            ChurnRepository.RegisteredVersions(root).ShouldBe(before);

            // CI's gate: the alarm fails the build (exit 1), and nothing is retrained by a failed Monitor.
            (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("Retrain"), "--batch", drifted, "--fail-on-drift", .. ChurnRepository.Churn]);
            exit.ShouldBe(1, output);
            output.ShouldMatch(@"drift: detected \(\d+ of 19 features\)");
            ChurnRepository.RegisteredVersions(root).ShouldBe(before);

            // The loop: the alarm decides, Retrain trains a different challenger (more trees), gates and registers it.
            (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("Retrain"), "--batch", drifted, "--trees", "40", "--leaves", "8", "--threads", "1"]);
            exit.ShouldBe(0, output);
            BuildProgram.Outcomes(output)[ChurnRepository.Of("Retrain")].ShouldBe("Succeeded", output);
            output.ShouldContain("performance: auc ");
            var after = ChurnRepository.RegisteredVersions(root);
            after.Count.ShouldBe(before.Count + 1);
            var newest = after.Max(v => v.Version);

            using (var registry = JsonDocument.Parse(await File.ReadAllTextAsync(ChurnRepository.Registry(root))))
            {
                var history = registry.RootElement.GetProperty("aliasHistory").EnumerateArray().ToList();
                history.ShouldContain(h => h.GetProperty("alias").GetString() == "challenger" && h.GetProperty("to").GetInt32() == newest
                    && h.GetProperty("why").GetString()!.StartsWith("retrained: drift: detected", StringComparison.Ordinal));
                var versions = registry.RootElement.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32());
                var championAuc = versions[newest - 1].GetProperty("metrics").GetProperty("auc").GetDouble();
                var challengerAuc = versions[newest].GetProperty("metrics").GetProperty("auc").GetDouble();
                registry.RootElement.GetProperty("aliases").GetProperty("champion").GetInt32().ShouldBe(challengerAuc > championAuc ? newest : newest - 1);
            }
            var audit = await File.ReadAllLinesAsync(Path.Combine(root, ".nuke", "audit", "audit.log"));
            audit[^1].ShouldContain("retrain.outcome");
            audit[^1].ShouldContain("drift: detected");

            (exit, output) = await BuildProgram.RunAsync(root, [ChurnRepository.Of("ModelCard"), "--trees", "40", "--leaves", "8", "--threads", "1"]);
            exit.ShouldBe(0, output);
            var card = await File.ReadAllTextAsync(Path.Combine(root, "artifacts", "customer-churn", "model-card", $"customer-churn-v{newest}.md"));
            card.ShouldContain("retrained: drift: detected");
            card.ShouldContain("| drift.json | drifted.csv | drift | drift: detected");
            File.Exists(Path.Combine(root, "artifacts", "customer-churn", "model-card", $"customer-churn-v{newest}.html")).ShouldBeTrue();

            (exit, output) = await BuildProgram.RunAsync(root, ["--verify-audit"]);
            exit.ShouldBe(0, output);
            // An auditor's edit: the retraining record now claims no drift. The chain names it.
            var log = Path.Combine(root, ".nuke", "audit", "audit.log");
            var lines = await File.ReadAllLinesAsync(log);
            var tampered = Array.FindLastIndex(lines, l => l.Contains("retrain.outcome", StringComparison.Ordinal));
            lines[tampered] = lines[tampered].Replace("drift: detected", "drift: none", StringComparison.Ordinal);
            await File.WriteAllLinesAsync(log, lines);
            (exit, output) = await BuildProgram.RunAsync(root, ["--verify-audit"]);
            exit.ShouldBe(1, output);
            output.ShouldContain($"record {tampered + 1}");
        }
        finally
        {
            copy.Dispose();
        }
    }
}
