using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MLOps.Pipelines.Bench.TrainBenchmark;
using MLOps.Pipelines.ML.Evaluation;
using MLOps.Pipelines.ML.Training;

// Usage: TrainBenchmark [--data flights-3m.parquet] [--leaves 255] [--trees 200] [--learning-rate 0.1]
//   [--threads 2] [--categorical split|onehot] [--min-leaf 20] [--splits random,time] [--sample N]
//   [--reference-csv flights-3m.csv --reference-script flights_reference.py --reference-models xgb255]
// Start it with OMP_WAIT_POLICY=PASSIVE in the environment (LightGBM's OpenMP reads it at process start).
var args_ = Args.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != "PASSIVE")
{
    Console.Error.WriteLine("warning: OMP_WAIT_POLICY=PASSIVE is not set; LightGBM threads busy-wait and times under load are inflated.");
}

var options = new TrainingOptions(
    Trees: args_.Int("trees", 200), Leaves: args_.Int("leaves", 255), LearningRate: args_.Double("learning-rate", 0.1),
    MinExamplesPerLeaf: args_.Int("min-leaf", 20), Seed: 42, Threads: args_.Int("threads", 2),
    Categorical: args_.Get("categorical", "split") == "onehot" ? CategoricalHandling.OneHot : CategoricalHandling.CategoricalSplit);

var load = Stopwatch.StartNew();
var data = await FlightsData.LoadAsync(args_.Get("data", "data/flights-3m.parquet"));
Console.WriteLine($"loaded {data.Rows:N0} rows in {load.Elapsed.TotalSeconds:0.0} s; positive rate {data.Delayed.Average(d => d ? 1.0 : 0):0.0000}");
var all = Enumerable.Range(0, data.Rows).ToArray();
var sample = args_.Int("sample", 0);
if (sample > 0)
{
    new Random(7).Shuffle(all);
    all = all[..sample];
    Array.Sort(all);
}

var results = new List<Dictionary<string, object>>();
foreach (var split in args_.Get("splits", "random,time").Split(','))
{
    int[] train, test;
    if (split == "random")
    {
        var shuffled = all.ToArray();
        new Random(42).Shuffle(shuffled);
        var cut = shuffled.Length * 4 / 5;
        train = shuffled[..cut];
        test = shuffled[cut..];
    }
    else
    {
        train = all.Where(i => data.Month[i] <= 4).ToArray();
        test = all.Where(i => data.Month[i] >= 5).ToArray();
    }

    results.Add(Run($"ML.NET LightGBM {options.Leaves} leaves, {options.Trees} trees, {options.Categorical}", split, data, train, test, options));
}

var script = args_.Get("reference-script", "");
if (script.Length > 0)
{
    results.AddRange(Reference.Run(script, args_.Get("reference-csv", ""), args_.Get("reference-models", "xgb255")));
}

Console.WriteLine();
Console.WriteLine("| model | split | AUC | accuracy | log-loss | fit wall s | fit CPU s |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var r in results)
{
    Console.WriteLine($"| {r["model"]} | {r["split"]} | {r["auc"]:0.0000} | {r["accuracy"]:0.0000} | {r["logloss"]:0.0000} | {r["fit_s"]:0.0} | {r["fit_cpu_s"]:0.0} |");
}

Console.WriteLine(JsonSerializer.Serialize(new { summary = results }));
return 0;

static Dictionary<string, object> Run(string name, string split, FlightsData data, int[] trainRows, int[] testRows, TrainingOptions options)
{
    var train = data.Frame(trainRows);
    var test = data.Frame(testRows);
    var process = Process.GetCurrentProcess();
    var cpu0 = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    var model = ModelTrainer.Train(train, FlightsData.Spec, options);
    var fit = wall.Elapsed.TotalSeconds;
    process.Refresh();
    var fitCpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
    wall.Restart();
    var p = model.PredictProbabilities(test);
    var predict = wall.Elapsed.TotalSeconds;
    var m = BinaryMetricsCalculator.Compute(testRows.Select(i => data.Delayed[i]).ToArray(), p);
    Console.WriteLine($"{name} [{split}: train {trainRows.Length:N0}, test {testRows.Length:N0}]: AUC {m.Auc:0.0000}, fit {fit:0.0} s wall / {fitCpu:0.0} s CPU, predict {predict:0.0} s");
    return new Dictionary<string, object>
    {
        ["model"] = name, ["split"] = split, ["train"] = trainRows.Length, ["test"] = testRows.Length,
        ["auc"] = Math.Round(m.Auc, 4), ["accuracy"] = Math.Round(m.Accuracy, 4), ["logloss"] = Math.Round(m.LogLoss, 4),
        ["fit_s"] = Math.Round(fit, 2), ["fit_cpu_s"] = Math.Round(fitCpu, 2), ["predict_s"] = Math.Round(predict, 2),
    };
}

internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        return new Args(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
