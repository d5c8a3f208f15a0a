// Measures Ingest + Prepare (FlightDelays, random 80/20 split) on data/flights-3m.parquet and on a file with
// every row group repeated --factor times (generated into a temporary directory, deleted afterwards). Each size runs
// in its own process so that its peak memory (VmHWM) is its own. Usage:
//   dotnet bench/IngestBenchmark/bin/Release/net10.0/IngestBenchmark.dll [--factor 10] [--work DIR]
using System.Diagnostics;
using System.Globalization;
using Parquet;
using Parquet.Schema;
using Pipelines.FlightDelays;

var inv = CultureInfo.InvariantCulture;
if (args.Length == 3 && args[0] == "--run") return await RunOneAsync(args[1], args[2]);

var factor = OptionValue("--factor", 10);
var work = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), $"ingest-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
try
{
    var source = RepositoryData.File(FlightDelaysPipeline.RawFile);
    var big = Path.Combine(work, $"flights-{3 * factor}m.parquet");
    var sw = Stopwatch.StartNew();
    await RepeatRowGroupsAsync(source, big, factor);
    Console.WriteLine($"generated {big} ({new FileInfo(big).Length / 1e6:F0} MB) in {sw.Elapsed.TotalSeconds:F1} s");

    var small = await RunChildAsync(source, Path.Combine(work, "out-small"));
    var large = await RunChildAsync(big, Path.Combine(work, "out-large"));
    Console.WriteLine();
    Console.WriteLine("| file | rows | ingest s | prepare s | total s | rows/s (ingest+prepare) | peak MB (VmHWM) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
    foreach (var (name, r) in new[] { ("flights-3m.parquet", small), (Path.GetFileName(big), large) })
        Console.WriteLine(string.Create(inv, $"| {name} | {r.Rows:N0} | {r.Ingest:F1} | {r.Prepare:F1} | {r.Ingest + r.Prepare:F1} | {r.Rows / (r.Ingest + r.Prepare):N0} | {r.PeakMb:F0} |"));
    Console.WriteLine();
    Console.WriteLine(string.Create(inv, $"time ratio {(large.Ingest + large.Prepare) / (small.Ingest + small.Prepare):F2}x for {(double)large.Rows / small.Rows:F1}x the rows (goal <= 12x); " +
        $"peak memory ratio {large.PeakMb / small.PeakMb:F2}x (goal <= 1.5x)"));
    return 0;
}
finally
{
    if (!args.Contains("--work")) Directory.Delete(work, recursive: true);
}

int OptionValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], inv) : fallback;
}

static async Task<Result> RunChildAsync(string file, string outDir)
{
    var psi = new ProcessStartInfo("dotnet", [typeof(Result).Assembly.Location, "--run", file, outDir]) { RedirectStandardOutput = true };
    using var child = Process.Start(psi)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    Console.Write(output);
    if (child.ExitCode != 0) throw new InvalidOperationException($"benchmark run on {file} exited {child.ExitCode}");
    var fields = output.Split('\n').Last(l => l.StartsWith("result ", StringComparison.Ordinal)).Split(' ')[1..]
        .Select(kv => kv.Split('=')).ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
    return new Result((long)fields["rows"], fields["ingest"], fields["prepare"], fields["peakMb"]);
}

static async Task<int> RunOneAsync(string file, string outDir)
{
    var inv = CultureInfo.InvariantCulture;
    var sw = Stopwatch.StartNew();
    var ingest = await FlightDelaysPipeline.Definition.Stages.IngestAsync(file, Path.Combine(outDir, "ingest"));
    var ingestSeconds = sw.Elapsed.TotalSeconds;
    sw.Restart();
    var prepare = await FlightDelaysPipeline.Definition.Stages.PrepareAsync(ingest.DataPath, Path.Combine(outDir, "prepared"));
    var prepareSeconds = sw.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(inv, $"{Path.GetFileName(file)}: read {ingest.Quality.RowsRead:N0}, accepted {ingest.Quality.RowsAccepted:N0}, duplicates {ingest.Quality.DuplicateRows:N0}; train {prepare.TrainRows:N0}, test {prepare.TestRows:N0}"));
    Console.WriteLine(string.Create(inv, $"result rows={ingest.Quality.RowsRead} ingest={ingestSeconds:F3} prepare={prepareSeconds:F3} peakMb={PeakMegabytes():F1}"));
    return 0;
}

static double PeakMegabytes()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null
        ? Process.GetCurrentProcess().PeakWorkingSet64 / 1e6
        : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 / 1e6;
}

// Copies the flights file with each row group written `factor` times in a row (streaming: one row group in memory).
static Task RepeatRowGroupsAsync(string source, string target, int factor) =>
    FlightsRowGroup.CopyAsync(source, target, group => Enumerable.Repeat(group, factor));

internal sealed record Result(long Rows, double Ingest, double Prepare, double PeakMb);
