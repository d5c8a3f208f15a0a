using System.Diagnostics;
using System.Text;
using CliWrap;
using Xunit.Abstractions;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// SIGKILL at random points of Train, Register and Deploy of the real CustomerChurn pipeline, and concurrent builds
/// on one checkout. After every kill no previously good output is lost (the model, the receipt, the registry's
/// versions, the deployment) and the next build succeeds. Trials per target: MLOPS_KILL_TRIALS (default 20); the
/// kill points are drawn from a fixed seed, between 0 and the length of an uninterrupted run, so they are repeatable.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KillAndConcurrencyTests(ChurnRepository seeded, ITestOutputHelper log) : IClassFixture<ChurnRepository>
{
    static readonly string[] Churn = ChurnRepository.Churn;

    static int Trials => int.TryParse(Environment.GetEnvironmentVariable("MLOPS_KILL_TRIALS"), out var n) && n > 0 ? n : 20;

    public static TheoryData<string> KilledTargets => new() { "Train", "Register", "Deploy" };

    [Theory]
    [MemberData(nameof(KilledTargets))]
    public async Task A_build_killed_at_a_random_point_loses_no_good_output_and_the_next_build_succeeds(string target)
    {
        var root = seeded.Copy();
        try
        {
            string[] killed = [ChurnRepository.Of(target), "--force", ChurnRepository.Of(target), "--deploy-environment", "staging", .. Churn];
            string[] next = [ChurnRepository.Of(target), "--deploy-environment", "staging", .. Churn];

            // An uninterrupted run gives the window the kill points are drawn from.
            var clock = Stopwatch.StartNew();
            var (exit, output) = await BuildProgram.RunAsync(root, killed);
            exit.ShouldBe(0, output);
            var window = clock.Elapsed;

            var random = new Random(9 + target.Length);
            var held = 0;
            var failures = new List<string>();
            for (var trial = 0; trial < Trials; trial++)
            {
                var before = Snapshot(root);
                var delay = TimeSpan.FromMilliseconds(random.NextDouble() * window.TotalMilliseconds);
                var finished = await RunKilledAfterAsync(root, killed, delay);
                var after = Snapshot(root);
                var lost = before.Lost(after);
                (exit, output) = await BuildProgram.RunAsync(root, next);
                var problem = lost ?? (exit == 0 ? null : $"the next build exited {exit}:\n{output}");
                if (problem is null) held++;
                else failures.Add($"trial {trial} (kill at {delay.TotalMilliseconds:0} ms{(finished ? ", build had finished" : "")}): {problem}");
            }

            var line = $"SIGKILL during {target}: {Trials} trials, {held} held (kill points 0–{window.TotalSeconds:0.0} s)";
            log.WriteLine(line);
            Console.WriteLine(line);
            failures.ShouldBeEmpty(string.Join("\n", failures));
        }
        finally
        {
            ChurnRepository.Delete(root);
        }
    }

    [Fact]
    public async Task Concurrent_forced_builds_on_one_checkout_all_succeed_and_leave_a_consistent_registry()
    {
        var root = seeded.Copy();
        try
        {
            // Two forced registrations and a forced retrain whose model.zip dependants read while it is rewritten.
            string[][] builds =
            [
                ["Register@CustomerChurn", "--force", "Register@CustomerChurn", .. Churn],
                ["Register@CustomerChurn", "--force", "Register@CustomerChurn", .. Churn],
                ["Report@CustomerChurn", "--force", "Train@CustomerChurn", .. Churn],
                ["Deploy@CustomerChurn", "--force", "Train@CustomerChurn", "--deploy-environment", "staging", .. Churn],
            ];
            var results = await Task.WhenAll(builds.Select(arguments => BuildProgram.RunAsync(root, arguments)));
            var held = results.Count(r => r.ExitCode == 0);
            var line = $"{builds.Length} concurrent builds on one checkout: {held} succeeded";
            log.WriteLine(line);
            Console.WriteLine(line);
            for (var i = 0; i < results.Length; i++)
                results[i].ExitCode.ShouldBe(0, $"build {i} ({string.Join(' ', builds[i])}):\n{results[i].Output}");

            var (exit, output) = await BuildProgram.RunAsync(root, ["Report@CustomerChurn", .. Churn]);
            exit.ShouldBe(0, output);
            BuildProgram.Outcomes(output).Values.ShouldAllBe(o => o == "UpToDate", output);
            ChurnRepository.RegisteredVersions(root).ShouldContain(ChurnRepository.ReceiptVersion(root));
            Directory.EnumerateFiles(ChurnRepository.Deployment(root)).ShouldNotBeEmpty();
        }
        finally
        {
            ChurnRepository.Delete(root);
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
        var deployment = ChurnRepository.Deployment(root);
        var deployed = Directory.Exists(deployment)
            ? string.Join("\n", Directory.EnumerateFiles(deployment, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetRelativePath(deployment, f)} {ChurnRepository.Sha256(f)}"))
            : null;
        IReadOnlySet<(int, string)>? versions;
        try { versions = File.Exists(ChurnRepository.Registry(root)) ? ChurnRepository.RegisteredVersions(root) : null; }
        catch (System.Text.Json.JsonException) { versions = null; }
        return new Outputs(Hash(ChurnRepository.ModelFile(root)), Hash(ChurnRepository.Receipt(root)), versions, deployed);
    }

    /// <summary>What a user would call a good output: the model, the receipt, the registered versions, the deployed files.</summary>
    sealed record Outputs(string? Model, string? Receipt, IReadOnlySet<(int, string)>? Versions, string? Deployed)
    {
        /// <summary>What was good before and is missing or damaged now (outputs are reproducible, so equal bytes are expected).</summary>
        public string? Lost(Outputs after)
        {
            var lost = new StringBuilder();
            if (Model is not null && after.Model != Model) lost.Append($"model.zip {(after.Model is null ? "missing" : "changed")}; ");
            if (Receipt is not null && after.Receipt is null) lost.Append("registration.json missing; ");
            if (Versions is not null && (after.Versions is null || !Versions.IsSubsetOf(after.Versions))) lost.Append("registry.json lost versions or is unreadable; ");
            if (Deployed is not null && after.Deployed != Deployed) lost.Append($"the deployment {(after.Deployed is null ? "is missing" : "changed")}; ");
            return lost.Length == 0 ? null : lost.ToString();
        }
    }
}
