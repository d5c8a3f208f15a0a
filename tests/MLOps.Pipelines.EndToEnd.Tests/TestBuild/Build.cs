using MLOps.Pipelines;

// A small build for the end-to-end tests: files in, files out, a failure and a slow target on demand, a target family
// (Tally@North, Tally@South) and a component with its own parameter (IScaleComponent).
sealed class Build : PipelineBuild, IScaleComponent
{
    public static int Main() => Execute<Build>(x => x.Report);

    [Parameter("Text the Greet target writes")] readonly string Greeting = "hello";
    [Parameter("Make Train throw")] readonly bool Fail;
    [Parameter("Seconds the Slow target sleeps")] readonly int Seconds = 60;
    [Parameter("Label Combine writes on its first line")] readonly string Label = "plain";
    [Parameter("Multiplier of the Count checksum")] readonly int Factor = 1;
    [Parameter("Text Publish writes")] readonly string Stamp = "one";
    [Parameter("Seconds Publish waits after writing its partial output")] readonly int Pause;
    [Parameter("Make Publish throw after writing its partial output")] readonly bool Break;

    AbsolutePath Out => RootDirectory / "out";
    AbsolutePath Data => RootDirectory / "data";

    Target Greet => _ => _
        .Outputs(Out / "greeting.txt")
        .Executes(() =>
        {
            Out.CreateDirectory();
            File.WriteAllText(Out / "greeting.txt", Greeting);
        });

    Target Train => _ => _
        .DependsOn(Greet)
        .Executes(() =>
        {
            if (Fail) throw new InvalidOperationException("training diverged");
            File.WriteAllText(Out / "model.txt", File.ReadAllText(Out / "greeting.txt").ToUpperInvariant());
        });

    Target Report => _ => _
        .DependsOn(Train)
        .Executes(() => Console.WriteLine("model: " + File.ReadAllText(Out / "model.txt")));

    Target Slow => _ => _
        .Executes(async cancellationToken =>
        {
            Console.WriteLine("slow started");
            await Task.Delay(TimeSpan.FromSeconds(Seconds), cancellationToken);
        });

    // Train's shape: a synchronous body that does not watch the cancellation token and writes its file whole at the end.
    Target Fit => _ => _
        .Outputs(Out / "fit.txt")
        .Executes(() =>
        {
            Console.WriteLine("fit started");
            Thread.Sleep(TimeSpan.FromSeconds(Seconds));
            AtomicFile.WriteAllText(Out / "fit.txt", "fit " + Stamp);
        });

    Target AfterSlow => _ => _.DependsOn(Slow).Executes(() => Console.WriteLine("after slow"));

    // The incremental pipeline: data/a.txt → Upper, Normalize; data/b.txt → Count; Upper + Count → Combine;
    // Normalize → Summarize; data/docs/ → Index. Every body records its start in executions/ (see Started).

    Target Upper => _ => _
        .Inputs(Data / "a.txt")
        .Outputs(Out / "upper.txt")
        .Executes(() =>
        {
            Started("Upper");
            File.WriteAllText(Out / "upper.txt", Shout(File.ReadAllText(Data / "a.txt")));
        });

    Target Count => _ => _
        .Inputs(Data / "b.txt")
        .Outputs(Out / "count.txt")
        .Executes(() =>
        {
            Started("Count");
            File.WriteAllText(Out / "count.txt", Checksum(File.ReadAllBytes(Data / "b.txt"), Factor).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    Target Combine => _ => _
        .DependsOn(Upper, Count)
        .Inputs(Out / "upper.txt", Out / "count.txt")
        .Outputs(Out / "combined.txt")
        .Executes(() =>
        {
            Started("Combine");
            File.WriteAllText(Out / "combined.txt", $"{Label}\n{File.ReadAllText(Out / "upper.txt")}\n{File.ReadAllText(Out / "count.txt")}\n");
        });

    Target Normalize => _ => _
        .Inputs(Data / "a.txt")
        .Outputs(Out / "normalized.txt")
        .Executes(() =>
        {
            Started("Normalize");
            File.WriteAllText(Out / "normalized.txt", File.ReadAllText(Data / "a.txt").Trim().ToLowerInvariant());
        });

    Target Summarize => _ => _
        .DependsOn(Normalize)
        .Inputs(Out / "normalized.txt")
        .Outputs(Out / "summary.txt")
        .Executes(() =>
        {
            Started("Summarize");
            var words = File.ReadAllText(Out / "normalized.txt").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            File.WriteAllText(Out / "summary.txt", $"{words.Length} words");
        });

    Target Index => _ => _
        .Inputs(Data / "docs")
        .Outputs(Out / "index.txt")
        .Executes(() =>
        {
            Started("Index");
            var lines = Directory.EnumerateFiles(Data / "docs").Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}");
            File.WriteAllLines(Out / "index.txt", lines);
        });

    // A directory output (a file and a sub-folder of copies) for the store's fault-injection tests.
    Target Bundle => _ => _
        .Inputs(Data / "docs")
        .Outputs(Out / "bundle")
        .Executes(() =>
        {
            Started("Bundle");
            (Out / "bundle" / "parts").CreateDirectory();
            var names = Directory.EnumerateFiles(Data / "docs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
            foreach (var name in names) File.Copy(Data / "docs" / name, Out / "bundle" / "parts" / name, overwrite: true);
            File.WriteAllLines(Out / "bundle" / "manifest.txt", names);
        });

    // Writes a partial output first, then waits or throws on demand: for kill and failure tests.
    Target Publish => _ => _
        .Outputs(Out / "published.txt")
        .Executes(async cancellationToken =>
        {
            Started("Publish");
            File.WriteAllText(Out / "published.txt", "partial " + Stamp);
            Console.WriteLine("publish started");
            await Task.Delay(TimeSpan.FromSeconds(Pause), cancellationToken);
            if (Break) throw new InvalidOperationException("publishing broke");
            File.WriteAllText(Out / "published.txt", "published " + Stamp);
        });

    // The family: data/regions/<region>.txt → out/tally/<region>.txt per region; Digest needs every instance.
    static readonly string[] Regions = ["North", "South"];

    Target Tally => _ => _
        .Description("Count the lines of one region")
        .ForEach(Regions, region => region, (_, region) => _
            .Inputs(Data / "regions" / $"{region}.txt")
            .Outputs(Out / "tally" / $"{region}.txt")
            .Executes(() =>
            {
                Started($"Tally@{region}");
                (Out / "tally").CreateDirectory();
                File.WriteAllText(Out / "tally" / $"{region}.txt", $"{region} {File.ReadAllLines(Data / "regions" / $"{region}.txt").Length}");
            }));

    Target Digest => _ => _
        .DependsOn(Tally)
        .Inputs(Out / "tally")
        .Outputs(Out / "digest.txt")
        .Executes(() =>
        {
            Started("Digest");
            var lines = Regions.Select(r => File.ReadAllText(Out / "tally" / $"{r}.txt"));
            File.WriteAllLines(Out / "digest.txt", lines);
        });

    static string Shout(string text) => text.ToUpperInvariant();

    static long Checksum(byte[] bytes, int factor)
    {
        long sum = 0;
        foreach (var b in bytes) sum = (sum * 31) + b;
        return sum * factor;
    }

    void Started(string target)
    {
        Out.CreateDirectory();
        // One new file per execution, not lines appended to one file: .NET appends by seeking to the end, so two
        // processes (or threads) appending at once can overwrite each other's line and hide an execution.
        var executions = RootDirectory / "executions";
        executions.CreateDirectory();
        File.WriteAllText(executions / $"{target}-{Guid.NewGuid():N}", "");
        // Lets concurrency tests widen the window in which two processes overlap, without touching any fingerprint.
        if (int.TryParse(Environment.GetEnvironmentVariable("E2E_PAUSE_MS"), out var pause)) Thread.Sleep(pause);
    }
}
