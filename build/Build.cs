using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using MLOps.Pipelines;

/// <summary>
/// This repository's pipeline. The stages are placeholders doing small real work on the penguins data (a
/// nearest-centroid classifier); the ML library's real stages replace their bodies.
/// </summary>
sealed class Build : PipelineBuild
{
    public static int Main() => Execute<Build>(x => x.Evaluate);

    [Parameter("Fraction of rows held out for evaluation")] readonly double TestFraction = 0.2;
    [Parameter("Seed of the train/test split")] readonly int Seed = 42;
    [Parameter("Deployment environment; Deploy is skipped without one")] readonly string? DeployEnvironment;

    AbsolutePath Raw => RootDirectory / "data" / "penguins.csv";
    AbsolutePath Work => ArtifactsDirectory / "demo";
    AbsolutePath Ingested => Work / "ingested.csv";
    AbsolutePath TrainSet => Work / "train.csv";
    AbsolutePath TestSet => Work / "test.csv";
    AbsolutePath Model => Work / "model.json";
    AbsolutePath Metrics => Work / "metrics.json";

    Target Ingest => _ => _
        .Description("Read the raw CSV, keep complete rows")
        .Inputs(Raw)
        .Outputs(Ingested)
        .Executes(() =>
        {
            var lines = File.ReadAllLines(Raw);
            var complete = lines.Skip(1).Where(l => !l.Split(',').Contains("NA")).ToList();
            Work.CreateDirectory();
            File.WriteAllLines(Ingested, [lines[0], .. complete]);
            Console.WriteLine($"{complete.Count} of {lines.Length - 1} rows complete");
        });

    Target Prepare => _ => _
        .Description("Split into train and test sets")
        .DependsOn(Ingest)
        .Inputs(Ingested)
        .Outputs(TrainSet, TestSet)
        .Executes(() =>
        {
            var lines = File.ReadAllLines(Ingested);
            var random = new Random(Seed);
            var test = lines.Skip(1).Select(l => (l, held: random.NextDouble() < TestFraction)).ToList();
            File.WriteAllLines(TrainSet, [lines[0], .. test.Where(x => !x.held).Select(x => x.l)]);
            File.WriteAllLines(TestSet, [lines[0], .. test.Where(x => x.held).Select(x => x.l)]);
        });

    Target Train => _ => _
        .Description("Fit per-species centroids of the body measurements")
        .DependsOn(Prepare)
        .Inputs(TrainSet)
        .Outputs(Model)
        .Executes(() =>
        {
            var centroids = Rows(TrainSet).GroupBy(r => r.Species)
                .ToDictionary(g => g.Key, g => Enumerable.Range(0, 4).Select(i => g.Average(r => r.Features[i])).ToArray());
            File.WriteAllText(Model, JsonSerializer.Serialize(centroids));
        });

    Target Evaluate => _ => _
        .Description("Accuracy of the model on the test set")
        .DependsOn(Train)
        .Inputs(Model, TestSet)
        .Outputs(Metrics)
        .Executes(() =>
        {
            var centroids = JsonSerializer.Deserialize<Dictionary<string, double[]>>(File.ReadAllText(Model))!;
            var rows = Rows(TestSet);
            var correct = rows.Count(r => centroids.MinBy(c => Distance(c.Value, r.Features)).Key == r.Species);
            var accuracy = (double)correct / rows.Count;
            File.WriteAllText(Metrics, JsonSerializer.Serialize(new { accuracy, rows = rows.Count }));
            Console.WriteLine($"accuracy {accuracy:0.000} on {rows.Count} rows");
        });

    Target Register => _ => _
        .Description("Record the model and its metrics in the registry")
        .DependsOn(Evaluate)
        .Inputs(Model, Metrics)
        .Outputs(Work / "registry.json")
        .Executes(() => File.WriteAllText(Work / "registry.json",
            JsonSerializer.Serialize(new { model = Model.Name, metrics = JsonDocument.Parse(File.ReadAllText(Metrics)).RootElement })));

    Target Package => _ => _
        .Description("Package the model as an archive")
        .DependsOn(Register)
        .Inputs(Model)
        .Outputs(Work / "package.zip")
        .Executes(() =>
        {
            File.Delete(Work / "package.zip");
            using var archive = ZipFile.Open(Work / "package.zip", ZipArchiveMode.Create);
            archive.CreateEntryFromFile(Model, "model.json");
        });

    Target Deploy => _ => _
        .Description("Deploy the package to an environment")
        .DependsOn(Package)
        .OnlyWhenStatic(() => DeployEnvironment != null)
        .Executes(() => Console.WriteLine($"deployed to {DeployEnvironment}"));

    Target Monitor => _ => _
        .Description("Check the deployed model's metrics")
        .After(Deploy)
        .Inputs(Metrics)
        .Executes(() => Console.WriteLine(File.ReadAllText(Metrics)));

    Target Noop => _ => _
        .Unlisted()
        .Description("Does nothing: the floor of the bootstrapper benchmark")
        .Executes(() => { });

    static List<(string Species, double[] Features)> Rows(AbsolutePath csv) =>
        File.ReadAllLines(csv).Skip(1).Select(l => l.Split(','))
            .Select(f => (f[0], f[2..6].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();

    static double Distance(double[] a, double[] b) => a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second));
}
