using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MLOps.Pipelines.EndToEnd.Tests.CI;

/// <summary>
/// The generated <c>.gitlab-ci.yml</c> of this repository, executed by gitlab-ci-local 4.60.0 with
/// <c>--force-shell-executor --shell-isolation</c> (every job in its own copy, sharing only artifacts and cache), for
/// the CustomerChurn pipeline (<c>PIPELINE=CustomerChurn</c>): the push pipeline, then the scheduled one, against a
/// real nginx WebDAV remote cache on loopback. The run is driven by gitlab-ci-local-run.sh (also the benchmark).
/// After integration with the model store and delivery work, one more step belongs at the end of
/// <see cref="Every_job_succeeds_no_target_runs_twice_and_the_nightly_run_commits_its_registry_entry"/>: clone
/// <c>origin.git</c> afresh, run the deploy pipeline there, and query the served model's version.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class GitLabRunnerTests(ITestOutputHelper log) : IDisposable
{
    readonly NginxWebDavServer _cache = new();
    readonly string _work = Path.Combine(Path.GetTempPath(), "mlops-gitlab-runner-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        _cache.Dispose();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLOps.Pipelines.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MLOps.Pipelines.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Every_job_succeeds_no_target_runs_twice_and_the_nightly_run_commits_its_registry_entry()
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "tests", "MLOps.Pipelines.EndToEnd.Tests", "CI", "gitlab-ci-local-run.sh");
        var registryBefore = File.ReadAllText(Path.Combine(root, "models", "customer-churn", "registry.json"));

        var (exitCode, output) = Run("bash", [script, _work], root, ("MLOPS_REMOTE_CACHE", _cache.Url.ToString()));
        log.WriteLine(output); // the wall times, for docs/benchmarks.md

        exitCode.ShouldBe(0, output + Tail("push.log") + Tail("schedule.log") + Tail("single.log"));
        foreach (var (pipeline, prefix) in new[] { ("push", "ci"), ("schedule", "nightly-retrain") })
        {
            // gitlab-ci-local keeps every run's job logs in one folder: this pipeline's jobs are named "<prefix>:<job>".
            var jobs = Directory.GetFiles(Path.Combine(_work, $"{pipeline}-jobs"), "*.log")
                .Where(f => Path.GetFileName(f).StartsWith(prefix + "Og", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith(prefix + ":", StringComparison.Ordinal))
                .ToArray();
            jobs.Length.ShouldBeGreaterThan(5, $"{pipeline}: {string.Join(", ", jobs.Select(Path.GetFileName))}");
            var ran = new Dictionary<string, List<string>>();
            foreach (var job in jobs)
            {
                var log = File.ReadAllText(job);
                foreach (Match row in SummaryRow().Matches(log))
                {
                    var (target, outcome) = (row.Groups["target"].Value, row.Groups["outcome"].Value);
                    outcome.ShouldNotBe("Failed", $"{pipeline}: {target} in {Path.GetFileName(job)}");
                    outcome.ShouldNotBe("NotRun", $"{pipeline}: {target} in {Path.GetFileName(job)}");
                    if (outcome is "Succeeded" or "Restored")
                        (ran.TryGetValue(target, out var list) ? list : ran[target] = []).Add(Path.GetFileName(job));
                }
            }
            ran.Keys.ShouldContain("Register@CustomerChurn", pipeline);
            // A downstream job finds its upstream targets up to date from this run's lock entries; nothing runs twice.
            ran.Where(r => r.Value.Count > 1).Select(r => $"{r.Key} ran in {string.Join(", ", r.Value)}").ShouldBeEmpty(pipeline);
        }

        // The nightly run left one commit on main: the merged lock (this run's Train entry) and the new registry entry.
        var origin = Path.Combine(_work, "origin.git");
        Git(origin, "rev-list", "--count", "main").Trim().ShouldBe("2");
        var message = Git(origin, "log", "-1", "--format=%B", "main").Trim();
        var changeLines = Directory.GetFiles(Path.Combine(_work, "repo"), "registry-change.txt", SearchOption.AllDirectories);
        if (changeLines.Length == 0)
            message.ShouldStartWith("nightly-retrain: record the retrained models");
        else
            message.ShouldContain(File.ReadAllLines(changeLines[0])[0]);
        var registryAfter = Git(origin, "show", "main:models/customer-churn/registry.json");
        registryAfter.ShouldNotBe(registryBefore);
        Git(origin, "show", "main:pipelines.lock").ShouldContain("\"Trees\": \"37\"");
    }

    string Tail(string log)
    {
        var path = Path.Combine(_work, log);
        return File.Exists(path) ? $"\n--- {log} ---\n" + string.Join('\n', File.ReadLines(path).TakeLast(60)) : "";
    }

    static string Git(string repository, params string[] arguments)
    {
        var (exitCode, output) = Run("git", ["-C", repository, .. arguments], repository);
        exitCode.ShouldBe(0, output);
        return output;
    }

    static (int ExitCode, string Output) Run(string file, string[] arguments, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    [GeneratedRegex(@"(?<target>[A-Z][A-Za-z]*(?:@[A-Za-z0-9_-]+)?)\s{3,}(?<outcome>Succeeded|UpToDate|Restored|Skipped|Failed|NotRun)\b")]
    private static partial Regex SummaryRow();
}
