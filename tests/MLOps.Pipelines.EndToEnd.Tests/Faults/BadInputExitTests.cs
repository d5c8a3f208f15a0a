using System.Text;
using MLOps.Pipelines.EndToEnd.Tests.Caching;

namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>
/// Inputs that once crashed the process (exit 134, a stack trace) or did something worse: each is now one line naming
/// the cause and the file, with the exit code the README documents (2: bad usage or configuration), or a warning
/// where the cache is only an accelerator.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class BadInputExitTests(CompiledTestBuild build)
{
    static void ShouldBeOneLine(CliWrap.Buffered.BufferedCommandResult result, int exitCode, params string[] mentions)
    {
        result.ExitCode.ShouldBe(exitCode, BuildOutput.Describe(result));
        var errors = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        errors.Count(l => l.StartsWith("error:", StringComparison.Ordinal)).ShouldBe(1, BuildOutput.Describe(result));
        foreach (var mention in mentions) result.StandardError.ShouldContain(mention, Case.Sensitive, BuildOutput.Describe(result));
        (result.StandardOutput + result.StandardError).ShouldNotMatch(@"\n\s+at [\w.<>`]+\(");
    }

    [Theory]
    [InlineData("--dry-run")]
    [InlineData("--prune-cache 1d")]
    [InlineData("Upper")]
    public async Task A_corrupt_lock_is_one_line_naming_it_and_exit_2(string arguments)
    {
        var repository = build.NewRepository();
        repository.WriteFile("pipelines.lock", "{ \"format\": 1, \"targets\": { <<<<<<< HEAD");
        ShouldBeOneLine(await repository.BuildAsync(arguments), 2, "pipelines.lock");
    }

    [Fact]
    public async Task An_age_too_large_for_a_time_span_is_a_usage_error()
    {
        var repository = build.NewRepository();
        ShouldBeOneLine(await repository.BuildAsync("--prune-cache 1e10d"), 2, "--prune-cache 1e10d");
    }

    [Fact]
    public async Task A_remote_cache_url_that_is_not_http_is_a_warning_and_the_build_runs_without_it()
    {
        var repository = build.NewRepository();
        var result = await repository.BuildAsync("Upper", new Dictionary<string, string?> { ["MLOPS_REMOTE_CACHE"] = "cache.example:8080/x" });
        result.ShouldSucceedWith("Succeeded", "Upper");
        result.StandardError.ShouldContain("MLOPS_REMOTE_CACHE=cache.example:8080/x is not an http(s) URL");
    }

    [Fact]
    public async Task A_token_with_a_line_break_is_a_configuration_error_that_does_not_print_the_token()
    {
        var repository = build.NewRepository();
        var result = await repository.BuildAsync("Upper", new Dictionary<string, string?>
        {
            ["MLOPS_REMOTE_CACHE"] = "http://127.0.0.1:9/",
            ["MLOPS_REMOTE_CACHE_TOKEN"] = "s3cret-token\r\n",
        });
        ShouldBeOneLine(result, 2, "MLOPS_REMOTE_CACHE_TOKEN");
        (result.StandardOutput + result.StandardError).ShouldNotContain("s3cret-token");
    }

    [Fact]
    public async Task An_invalid_remote_cache_url_never_echoes_its_password()
    {
        var repository = build.NewRepository();
        var result = await repository.BuildAsync("Upper --remote-cache ftp://ci:hunter2@cache.example/x");
        ShouldBeOneLine(result, 2, "--remote-cache ftp://***@cache.example/x");
        (result.StandardOutput + result.StandardError).ShouldNotContain("hunter2");
    }

    [Fact]
    public async Task A_folder_in_place_of_the_file_state_is_a_warning_after_which_the_build_succeeds()
    {
        var repository = build.NewRepository();
        Directory.CreateDirectory(repository.FullPath(".nuke/state/files.bin/x"));
        var result = await repository.BuildAsync("Upper");
        result.ShouldSucceedWith("Succeeded", "Upper");
        result.StandardError.ShouldContain("files.bin is a folder");
        (await repository.BuildAsync("Upper")).ShouldSucceedWith("UpToDate", "Upper");
    }

    [Fact]
    public async Task A_stack_trace_is_printed_only_with_verbose()
    {
        var repository = build.NewRepository();
        repository.WriteFile("pipelines.lock", "not json");
        var verbose = await repository.BuildAsync("Upper --verbosity verbose");
        verbose.ExitCode.ShouldBe(2);
        verbose.StandardError.ShouldContain("   at ");
        (await repository.BuildAsync("Upper")).StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1);
    }

    /// <summary>
    /// .NET's own file locks are switched off by DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1; the engine's locks are not
    /// (they call flock(2) themselves): two concurrent builds still run each target once.
    /// </summary>
    [Fact]
    public async Task Disabling_dotnet_file_locking_does_not_disable_the_engines_locks()
    {
        var repository = build.NewRepository();
        var environment = new Dictionary<string, string?> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1", ["E2E_PAUSE_MS"] = "1500" };
        var results = await Task.WhenAll(repository.BuildAsync("Upper Count", environment), repository.BuildAsync("Upper Count", environment));
        foreach (var result in results) result.ExitCode.ShouldBe(0, BuildOutput.Describe(result));
        repository.TakeExecutions().ShouldBe(["Count", "Upper"]);
    }
}
