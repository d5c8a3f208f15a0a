using System.Diagnostics;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;
using Xunit.Abstractions;

namespace MLOps.Pipelines.Tests.CI;

public sealed class CiDeterminismTests(ITestOutputHelper output)
{
    static IReadOnlyList<KeyValuePair<string, string>> GenerateAll() => CiFiles.Generate(
        [CiTestBuilds.GitHubCi(), CiTestBuilds.GitHubNightly()],
        [CiTestBuilds.GitLabCi(), CiTestBuilds.GitLabNightly()],
        CiTestBuilds.Demo);

    [Fact]
    public void Ten_generations_are_byte_identical()
    {
        var first = GenerateAll();
        var timer = Stopwatch.StartNew();
        var runs = Enumerable.Range(0, 10).Select(_ => GenerateAll()).ToList();
        timer.Stop();

        foreach (var run in runs)
        {
            run.Select(f => f.Key).ShouldBe(first.Select(f => f.Key));
            for (var i = 0; i < run.Count; i++)
                System.Text.Encoding.UTF8.GetBytes(run[i].Value).ShouldBe(System.Text.Encoding.UTF8.GetBytes(first[i].Value));
        }
        first.Select(f => f.Key).ShouldBe([".github/workflows/ci.yml", ".github/workflows/nightly-retrain.yml", ".gitlab-ci.yml"]);
        first.ShouldAllBe(f => !f.Value.Contains('\r') && f.Value.EndsWith('\n'));
        // A figure for the report, not an assertion.
        output.WriteLine($"10 generations of {first.Count} files ({first.Sum(f => f.Value.Length)} chars): {timer.Elapsed.TotalMilliseconds:F1} ms, {timer.Elapsed.TotalMilliseconds / 10:F2} ms each");
    }
}
