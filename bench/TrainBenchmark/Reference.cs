using System.Diagnostics;
using System.Text.Json;

namespace MLOps.Pipelines.Bench.TrainBenchmark;

/// <summary>Runs bench/reference/flights_reference.py (or the script given) in the same benchmark run (after ours, never beside it).</summary>
internal static class Reference
{
    public static IEnumerable<Dictionary<string, object>> Run(string script, string csv, string models)
    {
        if (!File.Exists(csv))
        {
            throw new FileNotFoundException($"Reference CSV '{csv}' not found; make it with pq2csv.mjs (see docs/benchmarks-mlmodel.md).", csv);
        }

        var start = new ProcessStartInfo("/usr/bin/python3", [script, "--dataset", "flights3m", "--csv", csv, "--models", models])
        {
            RedirectStandardOutput = true,
        };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var results = new List<Dictionary<string, object>>();
        while (python.StandardOutput.ReadLine() is { } line)
        {
            Console.WriteLine("reference: " + line);
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (!root.TryGetProperty("model", out var model)) continue;
            results.Add(new Dictionary<string, object>
            {
                ["model"] = model.GetString()!, ["split"] = "random",
                ["auc"] = root.GetProperty("auc").GetDouble(), ["accuracy"] = root.GetProperty("accuracy").GetDouble(),
                ["logloss"] = root.GetProperty("logloss").GetDouble(), ["fit_s"] = root.GetProperty("fit_s").GetDouble(),
                ["fit_cpu_s"] = root.GetProperty("fit_cpu_s").GetDouble(),
            });
        }

        python.WaitForExit();
        if (python.ExitCode != 0) throw new InvalidOperationException($"The reference script exited with {python.ExitCode}.");
        return results;
    }
}
