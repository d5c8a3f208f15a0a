using System.Diagnostics;
using System.Text;
using CliWrap;
using Xunit.Abstractions;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// SIGKILL at random points of Train, Register and Deploy of the real CustomerChurn pipeline, and concurrent builds
/// on one checkout. After every kill no previously good output is lost (the model, the receipt, the registry's
/// versions, the deployment records) and the next build succeeds; after a killed Deploy the next one serves the
/// champion on the stable port with no server left over (a candidate or a half-switched server the killed build
/// started is stopped). Trials per target: MLOPS_KILL_TRIALS (default 20; Deploy, whose runs start real servers: 5);
/// the kill points are drawn from a fixed seed, between 0 and the length of an uninterrupted run, so they are repeatable.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ChurnRepository.Collection)]
public sealed class KillAndConcurrencyTests(ChurnRepository seeded, ITestOutputHelper log)
{
    static readonly string[] Churn = ChurnRepository.Churn;

    static int TrialsOf(string target) =>
        int.TryParse(Environment.GetEnvironmentVariable("MLOPS_KILL_TRIALS"), out var n) && n > 0 ? n : target == "Deploy" ? 5 : 20;

    public static TheoryData<string> KilledTargets => new() { "Train", "Register", "Deploy" };

    [Theory]
    [MemberData(nameof(KilledTargets))]
    public async Task A_build_killed_at_a_random_point_loses_no_good_output_and_the_next_build_succeeds(string target)
    {
        var deploy = target == "Deploy";
        var copy = seeded.Copy(delivery: deploy);
        string root = copy.Path;
        var port = ChurnRepository.FreeServePort();
        string[] delivery = deploy ? ChurnRepository.Delivery("process", port, "staging") : [];
        var trials = TrialsOf(target);
        try
        {
            string[] killed = [ChurnRepository.Of(target), "--force", ChurnRepository.Of(target), .. delivery, .. Churn];
            string[] next = [ChurnRepository.Of(target), .. delivery, .. Churn];
            if (deploy)
            {
                // The first deployment (nothing served yet) is not what the trials time: they replace a serving release.
                var (firstExit, firstOutput) = await BuildProgram.RunAsync(root, next);
                firstExit.ShouldBe(0, firstOutput);
            }

            // An uninterrupted run gives the window the kill points are drawn from.
            var clock = Stopwatch.StartNew();
            var (exit, output) = await BuildProgram.RunAsync(root, killed);
            exit.ShouldBe(0, output);
            var window = clock.Elapsed;

            var random = new Random(9 + target.Length);
            var held = 0;
            var failures = new List<string>();
            for (var trial = 0; trial < trials; trial++)
            {
                var before = Snapshot(root);
                var delay = TimeSpan.FromMilliseconds(random.NextDouble() * window.TotalMilliseconds);
                var finished = await RunKilledAfterAsync(root, killed, delay);
                var after = Snapshot(root);
                var lost = before.Lost(after);
                (exit, output) = await BuildProgram.RunAsync(root, next);
                var problem = lost ?? (exit == 0 ? null : $"the next build exited {exit}:\n{output}");
                if (problem is null && deploy) problem = await ServingProblemAsync(root, port);
                if (problem is null) held++;
                else failures.Add($"trial {trial} (kill at {delay.TotalMilliseconds:0} ms{(finished ? ", build had finished" : "")}): {problem}");
            }

            var line = $"SIGKILL during {target}: {trials} trials, {held} held (kill points 0–{window.TotalSeconds:0.0} s)";
            log.WriteLine(line);
            Console.WriteLine(line);
            failures.ShouldBeEmpty(string.Join("\n", failures));
        }
        finally
        {
            if (deploy) await StopEveryServerAsync(root, "staging");
            copy.Dispose();
        }
    }

    /// <summary>After a deployment: null when the champion (v1) answers on the stable port and only its server runs, else what is wrong.</summary>
    static async Task<string?> ServingProblemAsync(string root, int port)
    {
        try
        {
            var version = await ChurnRepository.ServedVersionAsync(root, port);
            if (version != "1") return $"v{version} answers, not the champion v1";
        }
        catch (Exception e) when (e is HttpRequestException or Shouldly.ShouldAssertException or TaskCanceledException)
        {
            return $"the stable URL does not answer: {e.Message}";
        }
        var servers = ChurnRepository.ServerProcesses(root);
        return servers.Count == 1 ? null : $"{servers.Count} servers run from this checkout (PIDs {string.Join(", ", servers)}), not 1";
    }

    /// <summary>Stops the servers the deployment state records, then any other server process of this checkout (by PID).</summary>
    static async Task StopEveryServerAsync(string root, string environment)
    {
        await ChurnRepository.StopServersAsync(root, environment);
        foreach (var pid in ChurnRepository.ServerProcesses(root))
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }

    [Fact]
    public async Task Concurrent_forced_builds_on_one_checkout_all_succeed_and_leave_a_consistent_registry()
    {
        var copy = seeded.Copy(delivery: true);
        string root = copy.Path;
        var port = ChurnRepository.FreeServePort();
        try
        {
            // Two forced registrations and a forced retrain whose model.zip dependants read while it is rewritten.
            string[][] builds =
            [
                ["Register@CustomerChurn", "--force", "Register@CustomerChurn", .. Churn],
                ["Register@CustomerChurn", "--force", "Register@CustomerChurn", .. Churn],
                ["Report@CustomerChurn", "--force", "Train@CustomerChurn", .. Churn],
                ["Deploy@CustomerChurn", "--force", "Train@CustomerChurn", .. ChurnRepository.Delivery("process", port, "staging"), .. Churn],
            ];
            var results = await Task.WhenAll(builds.Select(arguments => BuildProgram.RunAsync(root, arguments)));
            var held = results.Count(r => r.ExitCode == 0);
            var line = $"{builds.Length} concurrent builds on one checkout: {held} succeeded";
            log.WriteLine(line);
            Console.WriteLine(line);
            for (var i = 0; i < results.Length; i++)
                results[i].ExitCode.ShouldBe(0, $"build {i} ({string.Join(' ', builds[i])}):\n{results[i].Output}");

            // A forced Register may rewrite the receipt after a concurrent Report read it: then the next build re-renders
            // Report (its input changed after it ran: the incremental rule, not a fault) and nothing else; the one after
            // that is a no-op.
            var (exit, output) = await BuildProgram.RunAsync(root, ["Report@CustomerChurn", .. Churn]);
            exit.ShouldBe(0, output);
            BuildProgram.Outcomes(output).Where(o => o.Key != "Report@CustomerChurn").Select(o => o.Value).ShouldAllBe(o => o == "UpToDate", output);
            (exit, output) = await BuildProgram.RunAsync(root, ["Report@CustomerChurn", .. Churn]);
            exit.ShouldBe(0, output);
            BuildProgram.Outcomes(output).Values.ShouldAllBe(o => o == "UpToDate", output);
            ChurnRepository.RegisteredVersions(root).ShouldContain(ChurnRepository.ReceiptVersion(root));
            (await ServingProblemAsync(root, port)).ShouldBeNull();
        }
        finally
        {
            await StopEveryServerAsync(root, "staging");
            copy.Dispose();
        }
    }

    /// <summary>Runs the build and sends SIGKILL after <paramref name="delay"/>; true when it had finished by then.</summary>
    static async Task<bool> RunKilledAfterAsync(string root, string[] arguments, TimeSpan delay)
    {
        var dll = await BuildProgram.DllAsync();
        using var kill = new CancellationTokenSource(delay);
        try
        {
            // CliWrap's forceful cancellation is Process.Kill: SIGKILL on Linux, no chance to clean up.
            await CliWrap.Cli.Wrap("dotnet")
                .WithArguments([dll, .. arguments, "--root", root])
                .WithWorkingDirectory(root)
                .WithEnvironmentVariables(e => e.Set("MLOPS_PIPELINES_ROOT", null).Set("OMP_WAIT_POLICY", "PASSIVE"))
                .WithStandardOutputPipe(PipeTarget.Null)
                .WithStandardErrorPipe(PipeTarget.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteAsync(kill.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    static Outputs Snapshot(string root)
    {
        string? Hash(string file) => File.Exists(file) ? ChurnRepository.Sha256(file) : null;
        var records = Path.Combine(root, "models", "customer-churn", "deployments", "staging.json");
        IReadOnlyList<string>? deployed;
        try
        {
            deployed = File.Exists(records)
                ? System.Text.Json.JsonDocument.Parse(File.ReadAllText(records)).RootElement.EnumerateArray().Select(r => r.GetRawText()).ToList()
                : null;
        }
        catch (System.Text.Json.JsonException) { deployed = []; }
        IReadOnlySet<(int, string)>? versions;
        try { versions = File.Exists(ChurnRepository.Registry(root)) ? ChurnRepository.RegisteredVersions(root) : null; }
        catch (System.Text.Json.JsonException) { versions = null; }
        return new Outputs(Hash(ChurnRepository.ModelFile(root)), Hash(ChurnRepository.Receipt(root)), versions, deployed);
    }

    /// <summary>What a user would call a good output: the model, the receipt, the registered versions, the deployment records.</summary>
    sealed record Outputs(string? Model, string? Receipt, IReadOnlySet<(int, string)>? Versions, IReadOnlyList<string>? Deployed)
    {
        /// <summary>What was good before and is missing or damaged now (outputs are reproducible, so equal bytes are expected).</summary>
        public string? Lost(Outputs after)
        {
            var lost = new StringBuilder();
            if (Model is not null && after.Model != Model) lost.Append($"model.zip {(after.Model is null ? "missing" : "changed")}; ");
            if (Receipt is not null && after.Receipt is null) lost.Append("registration.json missing; ");
            if (Versions is not null && (after.Versions is null || !Versions.IsSubsetOf(after.Versions))) lost.Append("registry.json lost versions or is unreadable; ");
            if (Deployed is not null && (after.Deployed is null || !after.Deployed.Take(Deployed.Count).SequenceEqual(Deployed)))
                lost.Append($"the deployment records {(after.Deployed is null ? "are missing" : "lost or changed an entry")}; ");
            return lost.Length == 0 ? null : lost.ToString();
        }
    }
}
