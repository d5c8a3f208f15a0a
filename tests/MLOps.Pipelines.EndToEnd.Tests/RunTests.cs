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
        result.StandardOutput.ShouldContain("System.InvalidOperationException: training diverged");
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
