using System.Diagnostics;
using System.Globalization;
using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

// bench/cache.sh drives this program:
//   generate <dir> <large-bytes> <small-count> <small-bytes>   writes dir/large.bin and dir/small/NNN/NNNNN.bin
//   evaluate <root> <input>                                    one check of a target whose input is <input>, as a
//                                                              build does it: open the cache (state loaded), decide;
//                                                              when the decision is to run, record the run (not timed).
//                                                              Prints "<ms> <decision> <files hashed> <ms of a second
//                                                              check in the same process, when up to date>".
//   hash-sequentially <dir>                                    the engine's file hash (ContentHash.Xxh3File) over
//                                                              every file, one after the other on one thread, twice.
//                                                              Prints "<first ms> <second ms> <files>".
return args switch
{
    ["generate", var dir, var large, var count, var small] => Generate(dir, long.Parse(large, CultureInfo.InvariantCulture),
        int.Parse(count, CultureInfo.InvariantCulture), int.Parse(small, CultureInfo.InvariantCulture)),
    ["evaluate", var root, var input] => Evaluate(root, input),
    ["hash-sequentially", var dir] => HashSequentially(dir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: CacheBenchmark generate <dir> <large-bytes> <small-count> <small-bytes> | evaluate <root> <input> | hash-sequentially <dir>");
    return 2;
}

static int Generate(string dir, long largeBytes, int smallCount, int smallBytes)
{
    var random = new Random(20240601);
    var buffer = new byte[4 << 20];
    Directory.CreateDirectory(dir);
    using (var large = File.Create(Path.Combine(dir, "large.bin")))
    {
        for (var written = 0L; written < largeBytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            large.Write(buffer, 0, (int)Math.Min(buffer.Length, largeBytes - written));
        }
    }
    var small = new byte[smallBytes];
    for (var i = 0; i < smallCount; i++)
    {
        var folder = Path.Combine(dir, "small", (i / 100).ToString("D3", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        random.NextBytes(small);
        File.WriteAllBytes(Path.Combine(folder, i.ToString("D5", CultureInfo.InvariantCulture) + ".bin"), small);
    }
    return 0;
}

static int Evaluate(string root, string input)
{
    var (ms, decision, hashed) = Check(root, input);
    // Nothing to do: check again in the same process (a new cache, state read from disk again, JIT-compiled code
    // warm): what a second target, or a build in a long-running process, pays.
    var again = decision == CacheDecisionKind.UpToDate ? Check(root, input).Ms.ToString("0.0", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms:0.0} {decision} {hashed} {again}"));
    return 0;
}

static (double Ms, CacheDecisionKind Decision, long Hashed) Check(string root, string input)
{
    var clock = Stopwatch.StartNew();
    var spec = new TargetSpec("Fingerprint", [input], new Dictionary<string, string>(), "benchmark", null,
        new Dictionary<string, string>(), ["out/fingerprint.txt"]);
    using var cache = new TargetCache(root, new CacheOptions { NoCache = true });
    var decision = cache.Evaluate(spec);
    cache.Flush(); // the file-state record is part of the check: the next build reads it
    var ms = clock.Elapsed.TotalMilliseconds;
    if (decision.Kind == CacheDecisionKind.Run)
    {
        // Record the run, so the next call finds the target up to date.
        using var run = cache.BeginRun(decision);
        Directory.CreateDirectory(Path.Combine(root, "out"));
        File.WriteAllText(Path.Combine(root, "out", "fingerprint.txt"), decision.Fingerprint);
        run.Commit();
    }
    return (ms, decision.Kind, cache.HashedFileCount);
}

static int HashSequentially(string dir)
{
    var clock = Stopwatch.StartNew();
    var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
    Array.Sort(files, StringComparer.Ordinal);
    foreach (var file in files)
        ContentHash.Xxh3File(file);
    var first = clock.Elapsed.TotalMilliseconds;
    // A second pass in the same process: the steady state of the hash, every file in the page cache.
    clock.Restart();
    foreach (var file in files)
        ContentHash.Xxh3File(file);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{first:0.0} {clock.Elapsed.TotalMilliseconds:0.0} {files.Length}"));
    return 0;
}
