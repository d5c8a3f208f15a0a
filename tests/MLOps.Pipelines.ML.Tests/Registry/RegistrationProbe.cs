using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>
/// The work of one registering process in the concurrency test. The test starts the test assembly itself as a process
/// (<c>dotnet MLOps.Pipelines.ML.Tests.dll</c>) with this assembly as a .NET startup hook, so a real second process
/// needs no separate project and no compile: <see cref="StartupHook"/> calls <see cref="Run"/> and exits before Main.
/// </summary>
internal static class RegistrationProbe
{
    public const string DirectoryVariable = "MLOPS_REGISTRY_PROBE_DIR";
    public const string WriterVariable = "MLOPS_REGISTRY_PROBE_WRITER";
    public const string CountVariable = "MLOPS_REGISTRY_PROBE_COUNT";
    public const string GoFileVariable = "MLOPS_REGISTRY_PROBE_GO";

    public static int Run()
    {
        try
        {
            var directory = AbsolutePath.Create(Environment.GetEnvironmentVariable(DirectoryVariable)!);
            var writer = Environment.GetEnvironmentVariable(WriterVariable)!;
            var count = int.Parse(Environment.GetEnvironmentVariable(CountVariable)!, System.Globalization.CultureInfo.InvariantCulture);
            var goFile = Environment.GetEnvironmentVariable(GoFileVariable)!;

            var registry = new ModelRegistry(directory / "models" / "probe", new FileSystemModelBlobStore(directory / "blobs"),
                new ModelRegistryOptions { User = writer });
            var models = (directory / $"work-{writer}").CreateDirectory();

            // Say "ready", then wait for the test's "go", so both processes register at the same time.
            File.WriteAllText(directory / $"ready-{writer}", "");
            while (!File.Exists(goFile))
                Thread.Sleep(5);

            for (var i = 0; i < count; i++)
            {
                var model = models / $"model-{i}.bin";
                File.WriteAllText(model, $"model by {writer}, number {i}");
                var version = registry.Register(RegistrySamples.Registration(model, writer, i));
                Console.WriteLine($"{writer} {i} v{version.Version}");
            }
            return 0;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
    }
}
