namespace MLOps.Pipelines.EndToEnd.Tests;

/// <summary>build.sh compiles only when a source changed by content, and two calls at once share one compile.</summary>
public sealed class BootstrapperTests : IDisposable
{
    readonly TestRepository _repository = new();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Compiles_once_then_only_when_a_source_changes_by_content()
    {
        var first = await _repository.BuildAsync("--help");
        first.ExitCode.ShouldBe(0, first.StandardError);
        first.StandardError.ShouldContain("compiling the build");
        first.StandardOutput.ShouldContain("*Report");

        var second = await _repository.BuildAsync("--help");
        second.ExitCode.ShouldBe(0);
        second.StandardError.ShouldNotContain("compiling");

        // A touched but unchanged file does not recompile.
        var buildFile = Path.Combine(_repository.Root, "build", "Build.cs");
        File.SetLastWriteTimeUtc(buildFile, DateTime.UtcNow.AddSeconds(5));
        var touched = await _repository.BuildAsync("--help");
        touched.StandardError.ShouldNotContain("compiling");

        // A real edit does, and the new program runs.
        File.WriteAllText(buildFile, File.ReadAllText(buildFile).Replace("Text the Greet target writes", "Text written by Greet"));
        var edited = await _repository.BuildAsync("--help");
        edited.ExitCode.ShouldBe(0, edited.StandardError);
        edited.StandardError.ShouldContain("compiling the build");
        edited.StandardOutput.ShouldContain("Text written by Greet");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Two_concurrent_first_calls_both_succeed_with_one_compile()
    {
        var calls = await Task.WhenAll(_repository.BuildAsync("Greet --greeting one"), _repository.BuildAsync("Greet --greeting one"));
        foreach (var call in calls) call.ExitCode.ShouldBe(0, call.StandardError + call.StandardOutput);
        calls.Count(c => c.StandardError.Contains("compiling the build")).ShouldBe(1);
        File.ReadAllText(Path.Combine(_repository.Root, "out", "greeting.txt")).ShouldBe("one");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_build_that_does_not_compile_exits_2_and_says_so()
    {
        var buildFile = Path.Combine(_repository.Root, "build", "Build.cs");
        File.AppendAllText(buildFile, "\nthis is not C#\n");
        var result = await _repository.BuildAsync("--help");
        result.ExitCode.ShouldBe(2);
        result.StandardError.ShouldContain("the build does not compile");
    }

    public void Dispose() => _repository.Dispose();
}
