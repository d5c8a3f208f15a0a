// Drift monitoring on data/flights-3m.parquet: the reference is the training months (Jan–Apr 2001, ~2M rows, read
// from the raw file through the contract and the features, as from the ingested data); the batches are written into
// a temporary directory: May–June (~600k rows), one hub's June evening flights (the strongly shifted batch), and a
// random 5 % of the training months (the no-drift control). Prints time and peak memory (VmHWM, reset per phase through
// /proc/self/clear_refs) per phase, the ratio to a plain Parquet.Net read of the same file, and the verdicts. Usage:
//   dotnet bench/MonitorBenchmark/bin/Release/net10.0/MonitorBenchmark.dll [--hub ORD]
using System.Diagnostics;
using System.Globalization;
using MLOps.Pipelines.ML.Monitoring;
using Pipelines.FlightDelays;

var inv = CultureInfo.InvariantCulture;
var hub = args.SkipWhile(a => a != "--hub").Skip(1).FirstOrDefault() ?? "ORD";
var source = RepositoryData.File(FlightDelaysPipeline.RawFile);
var work = Path.Combine(Path.GetTempPath(), $"monitor-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var training = new TimeWindow("date", new DateTime(2001, 1, 1), new DateTime(2001, 5, 1));
var options = DriftOptions.Default with { SeasonalFeatures = ["month"] };
try
{
    var mayJune = Path.Combine(work, "batch-2001-05-06.parquet");
    var shifted = Path.Combine(work, $"batch-{hub}-june-evening.parquet");
    var control = Path.Combine(work, "control-training-sample.parquet");
    var sw = Stopwatch.StartNew();
    var mayJuneRows = await BatchFiles.WriteAsync(source, mayJune, (d, _, _) => d >= new DateTime(2001, 5, 1));
    var shiftedRows = await BatchFiles.WriteAsync(source, shifted, (d, o, _) => d.Month == 6 && d.Hour >= 17 && o == hub);
    var controlRows = await BatchFiles.WriteAsync(source, control, (d, _, i) => d < new DateTime(2001, 5, 1) && Hash(i) < 0.05);
    Console.WriteLine(string.Create(inv, $"batches written in {sw.Elapsed.TotalSeconds:F1} s: May–June {mayJuneRows:N0} rows, {hub} June evenings {shiftedRows:N0}, control {controlRows:N0}"));

    var (referenceRead, _) = await Measure(async () => { await FlightsRowGroup.ReadAllAsync(source); return 0; });
    var (batchRead, _) = await Measure(async () => { await FlightsRowGroup.ReadAllAsync(mayJune); return 0; });
    var (referenceTime, reference) = await Measure(() => ProfileAsync(source, training));
    var (batchTime, batch) = await Measure(() => ProfileAsync(mayJune, null));
    var (compareTime, report) = await Measure(() => Task.FromResult(DriftDetector.Compare(reference.Value.Profile, batch.Value.Profile, options)));

    Console.WriteLine();
    Console.WriteLine("| phase | rows | time s | peak memory growth MB (VmHWM − RSS at start) | time ÷ plain Parquet.Net read of the file |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    Console.WriteLine(string.Create(inv, $"| reference profile (Jan–Apr of flights-3m.parquet: contract + features) | {reference.Value.Profile.Rows:N0} | {referenceTime:F2} | {reference.Peak:F0} | {referenceTime / referenceRead:F1}× ({referenceRead:F2} s) |"));
    Console.WriteLine(string.Create(inv, $"| batch profile (May–June file) | {batch.Value.Profile.Rows:N0} | {batchTime:F2} | {batch.Peak:F0} | {batchTime / batchRead:F1}× ({batchRead:F2} s) |"));
    Console.WriteLine(string.Create(inv, $"| drift statistics (7 features, all five statistics) | | {compareTime:F2} | {report.Peak:F0} | |"));
    Console.WriteLine();
    Print("May–June", report.Value);
    foreach (var (name, path) in new[] { ("May", (string?)null), ("June", null), ($"{hub} June evenings", shifted), ("control (5 % of Jan–Apr)", control) })
    {
        var profile = path is null
            ? (await FeatureProfiler.FromRawAsync(mayJune, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features,
                name == "May" ? new TimeWindow("date", new DateTime(2001, 5, 1), new DateTime(2001, 6, 1)) : new TimeWindow("date", new DateTime(2001, 6, 1)))).Profile
            : (await FeatureProfiler.FromRawAsync(path, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features)).Profile;
        Print(name, DriftDetector.Compare(reference.Value.Profile, profile, options));
    }
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

void Print(string name, DriftReport report)
{
    var features = string.Join(", ", report.Features.Select(f =>
        string.Create(inv, $"{f.Feature}{(f.Counted ? "" : " [seasonal]")} {f.Method} {f.Score:0.###}{(f.Drifted ? " DRIFT" : "")} psi {f.Psi:0.###}")));
    Console.WriteLine(string.Create(inv, $"{name} ({report.CurrentRows:N0} rows): {report.Verdict}; ") + features);
}

static Task<RawBatch> ProfileAsync(string path, TimeWindow? window) =>
    FeatureProfiler.FromRawAsync(path, FlightDelaysPipeline.Definition.Schema, FlightDelaysPipeline.Definition.Features, window);

// Peak is the growth of VmHWM over the RSS the phase started with (VmHWM reset through /proc/self/clear_refs).
static async Task<(double Seconds, (T Value, double Peak) Result)> Measure<T>(Func<Task<T>> action)
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    File.WriteAllText("/proc/self/clear_refs", "5");
    var start = StatusMb("VmRSS:");
    var sw = Stopwatch.StartNew();
    var value = await action();
    var seconds = sw.Elapsed.TotalSeconds;
    return (seconds, (value, StatusMb("VmHWM:") - start));
}

static double StatusMb(string key)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(key, StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static double Hash(long i)
{
    var z = (ulong)i + 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    z ^= z >> 31;
    return (z >> 11) * (1.0 / (1UL << 53));
}
