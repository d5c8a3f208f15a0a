using System.Diagnostics;
using Xunit.Abstractions;
using MLOps.Pipelines.ML.Registry;

namespace MLOps.Pipelines.ML.Tests.Registry;

/// <summary>
/// Two registrations at once must not lose a version. Real processes: the test assembly runs itself twice as a
/// program, with <see cref="StartupHook"/> doing the registrations (see <see cref="RegistrationProbe"/>).
/// </summary>
public sealed class ConcurrentRegistrationTests(ITestOutputHelper output) : IDisposable
{
    const int PerWriter = 25;
    readonly TemporaryDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Two_processes_registering_at_once_lose_no_version()
    {
        var goFile = _root.Path / "go";
        var writers = new[] { "A", "B" }.Select(w => StartProbe(w, goFile)).ToList();
        try
        {
            WaitUntil(() => File.Exists(_root.Path / "ready-A") && File.Exists(_root.Path / "ready-B"), writers);
            File.WriteAllText(goFile, "");
            foreach (var writer in writers)
            {
                writer.Process.WaitForExit(TimeSpan.FromMinutes(3)).ShouldBeTrue("a registering process hung");
                writer.Process.WaitForExit(); // drains the redirected output
                writer.Process.ExitCode.ShouldBe(0, writer.Output());
            }
        }
        finally
        {
            foreach (var writer in writers.Where(w => !w.Process.HasExited)) writer.Process.Kill(entireProcessTree: true);
        }

        var registry = new ModelRegistry(_root.Path / "models" / "probe", new FileSystemModelBlobStore(_root.Path / "blobs"));
        var versions = registry.Versions();
        versions.Select(v => v.Version).ShouldBe(Enumerable.Range(1, 2 * PerWriter));
        versions.Select(v => (v.Parameters["writer"], v.Parameters["index"])).Distinct().Count().ShouldBe(2 * PerWriter);
        versions.Count(v => v.CreatedBy == "A").ShouldBe(PerWriter);
        versions.Count(v => v.CreatedBy == "B").ShouldBe(PerWriter);
        writers.Sum(w => w.Lines.Count).ShouldBe(2 * PerWriter);
        // How much the two runs overlapped (informational: scheduling decides it, so it is not asserted).
        var switches = versions.Zip(versions.Skip(1)).Count(pair => pair.First.CreatedBy != pair.Second.CreatedBy);
        output.WriteLine($"writer changes between consecutive versions: {switches} of {versions.Count - 1}");
        var download = registry.Download(versions[^1].Version, _root.Path / "last.bin");
        File.ReadAllText(download).ShouldStartWith("model by ");
    }

    [Fact]
    public void Threads_with_their_own_registry_and_lock_stream_lose_no_version()
    {
        var blobs = new FileSystemModelBlobStore(_root.Path / "blobs");
        var directory = _root.Path / "models" / "threads";
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var registry = new ModelRegistry(directory, blobs, new ModelRegistryOptions { User = $"t{t}" });
            for (var i = 0; i < 10; i++)
            {
                var model = _root.WriteFile($"t{t}/m{i}.bin", $"{t}/{i}");
                registry.Register(RegistrySamples.Registration(model, $"t{t}", i));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        new ModelRegistry(directory, blobs).Versions().Select(v => v.Version).ShouldBe(Enumerable.Range(1, 40));
    }

    [Fact]
    public void A_registration_waits_for_the_lock_and_reports_who_blocks_it_when_it_times_out()
    {
        var directory = (_root.Path / "models" / "locked").CreateDirectory();
        var registry = new ModelRegistry(directory, new FileSystemModelBlobStore(_root.Path / "blobs"),
            new ModelRegistryOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
        var model = _root.WriteFile("m.bin", "m");

        using (new FileStream(directory / ModelRegistry.LockFileName, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Should.Throw<ModelRegistryException>(() => registry.Register(RegistrySamples.Registration(model, "w", 0)))
                .Message.ShouldContain($"waiting for the registry lock '{directory / ModelRegistry.LockFileName}'");
        }

        registry.Register(RegistrySamples.Registration(model, "w", 0)).Version.ShouldBe(1);
    }

    [Fact]
    public void A_process_with_dotnet_file_locking_disabled_refuses_to_register()
    {
        var probe = StartProbe("A", _root.Path / "go", ("DOTNET_SYSTEM_IO_DISABLEFILELOCKING", "1"));
        try
        {
            WaitUntil(() => File.Exists(_root.Path / "ready-A"), [probe]);
            File.WriteAllText(_root.Path / "go", "");
            probe.Process.WaitForExit(TimeSpan.FromMinutes(2)).ShouldBeTrue();
            probe.Process.WaitForExit(); // drains the redirected output
        }
        finally
        {
            if (!probe.Process.HasExited) probe.Process.Kill(entireProcessTree: true);
        }

        probe.Process.ExitCode.ShouldBe(3);
        probe.Output().ShouldContain(".NET file locking is disabled");
        File.Exists(_root.Path / "models" / "probe" / ModelRegistry.FileName).ShouldBeFalse();
    }

    sealed record Probe(Process Process, List<string> Lines, List<string> Errors)
    {
        public string Output()
        {
            lock (Lines) lock (Errors) return string.Join('\n', Lines.Concat(Errors));
        }
    }

    Probe StartProbe(string writer, string goFile, params (string Name, string Value)[] extra)
    {
        var testAssembly = typeof(RegistrationProbe).Assembly.Location;
        // The SDK tells test processes which dotnet runs them; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(testAssembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = testAssembly;
        start.Environment[RegistrationProbe.DirectoryVariable] = _root.Path;
        start.Environment[RegistrationProbe.WriterVariable] = writer;
        start.Environment[RegistrationProbe.CountVariable] = PerWriter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[RegistrationProbe.GoFileVariable] = goFile;
        foreach (var (name, value) in extra) start.Environment[name] = value;

        var process = new Process { StartInfo = start };
        var probe = new Probe(process, [], []);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (probe.Lines) probe.Lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (probe.Errors) probe.Errors.Add(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return probe;
    }

    static void WaitUntil(Func<bool> condition, IReadOnlyList<Probe> probes)
    {
        // A generous guard against a hang, not a timing assertion.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            var exited = probes.FirstOrDefault(p => p.Process.HasExited);
            if (exited is not null)
                throw new InvalidOperationException($"probe exited early ({exited.Process.ExitCode}): {exited.Output()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the registering processes did not become ready");
            Thread.Sleep(10);
        }
    }
}
