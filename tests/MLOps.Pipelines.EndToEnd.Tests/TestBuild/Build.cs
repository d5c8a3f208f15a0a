using MLOps.Pipelines;

// A small build for the end-to-end tests: files in, files out, a failure and a slow target on demand.
sealed class Build : PipelineBuild
{
    public static int Main() => Execute<Build>(x => x.Report);

    [Parameter("Text the Greet target writes")] readonly string Greeting = "hello";
    [Parameter("Make Train throw")] readonly bool Fail;
    [Parameter("Seconds the Slow target sleeps")] readonly int Seconds = 60;

    AbsolutePath Out => RootDirectory / "out";

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

    Target AfterSlow => _ => _.DependsOn(Slow).Executes(() => Console.WriteLine("after slow"));
}
