using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace MLOps.Pipelines.EndToEnd.Tests;

/// <summary>Exit codes, output and cancellation of ./build.sh as a process.</summary>
public sealed class RunTests(RunTests.CompiledRepository compiled) : IClassFixture<RunTests.CompiledRepository>
{
    /// <summary>One repository compiled once for the tests of this class.</summary>
    public sealed class CompiledRepository : IAsyncLifetime
    {
        public TestRepository Repository { get; } = new();
        public async Task InitializeAsync() => (await Repository.BuildAsync("--help")).ExitCode.ShouldBe(0);
        public Task DisposeAsync()
        {
            Repository.Dispose();
            return Task.CompletedTask;
        }
    }

    readonly TestRepository _repository = compiled.Repository;

    [Fact]
    public async Task The_default_target_runs_with_its_dependencies_and_prints_a_summary()
    {
        var result = await _repository.BuildAsync("--greeting hi");
        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardOutput.ShouldContain("▶ Greet");
        result.StandardOutput.ShouldContain("✔ Train Succeeded");
        result.StandardOutput.ShouldContain("model: HI");
        result.StandardOutput.ShouldMatch(@"Report\s+Succeeded");
        result.StandardOutput.ShouldContain("Build succeeded");
    }

    [Fact]
    public async Task A_failing_target_exits_1_with_the_summary()
    {
        var result = await _repository.BuildAsync("Report --fail");
        result.ExitCode.ShouldBe(1);
        result.StandardOutput.ShouldContain("✖ Train failed after");
        result.StandardOutput.ShouldContain("✖ Train failed after");
        result.StandardOutput.ShouldContain("training diverged");
        result.StandardOutput.ShouldNotContain("   at "); // the sentence, not the stack trace
        result.StandardOutput.ShouldMatch(@"Report\s+NotRun\s+Train did not succeed");
        result.StandardOutput.ShouldContain("Build failed: Train failed.");
    }

    [Theory]
    [InlineData("Reprot", "Unknown target 'Reprot'. Did you mean Report")]
    [InlineData("Report --seconds soon", "Parameter 'Seconds' from the command line (--seconds): 'soon' is not valid; expected an integer")]
    public async Task Bad_usage_exits_2_with_one_clear_line(string arguments, string message)
    {
        var result = await _repository.BuildAsync(arguments);
        result.ExitCode.ShouldBe(2);
        result.StandardError.Trim().ShouldStartWith("error: " + message);
        result.StandardError.Trim().Split('\n').Length.ShouldBe(1);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_running_target_and_still_prints_the_summary()
    {
        var output = new StringBuilder();
        using var process = _repository.Start("AfterSlow", output);
        var deadline = Stopwatch.StartNew();
        while (!Contains(output, "slow started") && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
        Contains(output, "slow started").ShouldBeTrue(output.ToString());

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
        (await WaitAsync(process, TimeSpan.FromSeconds(30))).ShouldBeTrue("the build did not stop after SIGINT");

        process.ExitCode.ShouldBe(1);
        var text = output.ToString();
        text.ShouldMatch(@"Slow\s+Failed\s+[\d.]+ s\s+cancelled");
        text.ShouldMatch(@"AfterSlow\s+NotRun");
        text.ShouldNotContain("after slow");
    }

    [Fact]
    public async Task Minimal_prints_only_failures_and_the_summary_and_verbose_adds_decisions_and_stack_traces()
    {
        var normal = await _repository.BuildAsync("Report --greeting hi");
        normal.StandardOutput.ShouldContain("▶ Greet");
        normal.StandardOutput.ShouldContain("model: HI");

        var minimal = await _repository.BuildAsync("Report --greeting hi --verbosity minimal");
        minimal.ExitCode.ShouldBe(0, minimal.StandardError);
        minimal.StandardOutput.ShouldNotContain("▶");
        minimal.StandardOutput.ShouldNotContain("✔");
        minimal.StandardOutput.ShouldNotContain("model: HI"); // what a succeeding target prints is held back
        minimal.StandardOutput.ShouldMatch(@"Report\s+Succeeded");
        minimal.StandardOutput.ShouldContain("Build succeeded");

        var failing = await _repository.BuildAsync("Report --fail --verbosity minimal");
        failing.ExitCode.ShouldBe(1);
        failing.StandardOutput.ShouldContain("✖ Train failed after");
        failing.StandardOutput.ShouldContain("training diverged");
        failing.StandardOutput.ShouldNotContain("   at ");
        failing.StandardOutput.ShouldContain("Build failed: Train failed.");

        var verbose = await _repository.BuildAsync("Report --fail --verbosity verbose");
        verbose.ExitCode.ShouldBe(1);
        verbose.StandardOutput.ShouldContain("System.InvalidOperationException: training diverged");
        verbose.StandardOutput.ShouldContain("   at ");
        var verboseUpToDate = await _repository.BuildAsync("Greet --verbosity verbose");
        verboseUpToDate.StandardOutput.ShouldMatch(@"… Greet: (UpToDate|Run|RestoreLocal) \(fingerprint [0-9a-f]+\)");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Ctrl_C_during_a_long_target_leaves_its_previous_output_in_place_throughout()
    {
        var repository = _repository.Clone();
        try
        {
            var first = await repository.BuildAsync("Fit --seconds 0 --stamp one");
            first.ExitCode.ShouldBe(0, first.StandardOutput + first.StandardError);
            repository.ReadFile("out/fit.txt").ShouldBe("fit one");

            var output = new StringBuilder();
            using var process = repository.Start("Fit --seconds 120 --stamp two", output);
            var deadline = Stopwatch.StartNew();
            while (!Contains(output, "fit started") && deadline.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(50);
            Contains(output, "fit started").ShouldBeTrue(output.ToString());
            repository.ReadFile("out/fit.txt").ShouldBe("fit one"); // in place while the target runs

            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            (await WaitAsync(process, TimeSpan.FromSeconds(30))).ShouldBeTrue("the build did not stop after SIGINT");
            process.ExitCode.ShouldBe(1);
            output.ToString().ShouldMatch(@"Fit\s+Failed\s+[\d.]+ s\s+cancelled");
            repository.ReadFile("out/fit.txt").ShouldBe("fit one"); // and after the build stopped, before any next build

            var next = await repository.BuildAsync("Fit --seconds 0 --stamp one");
            next.StandardOutput.ShouldMatch(@"Fit\s+UpToDate");
        }
        finally
        {
            repository.Dispose();
        }
    }

    [Fact]
    public async Task Live_progress_appears_only_on_a_terminal()
    {
        var redirected = await _repository.BuildAsync("Slow --seconds 1");
        redirected.ExitCode.ShouldBe(0);
        redirected.StandardOutput.ShouldNotContain("running Slow");

        // `script` (util-linux) gives the build a pseudo-terminal, as a person's shell would.
        var onTerminal = await Cli.Wrap("script")
            .WithArguments(["-qfec", $"{Path.Combine(_repository.Root, "build.sh")} Slow --seconds 1", "/dev/null"])
            .WithWorkingDirectory(_repository.Root)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        onTerminal.ExitCode.ShouldBe(0, onTerminal.StandardOutput);
        onTerminal.StandardOutput.ShouldMatch(@"0/1 done · running Slow \d+\.\d s");
        onTerminal.StandardOutput.ShouldContain("Build succeeded");
    }

    static bool Contains(StringBuilder output, string text)
    {
        lock (output) return output.ToString().Contains(text, StringComparison.Ordinal);
    }

    static async Task<bool> WaitAsync(Process process, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}
