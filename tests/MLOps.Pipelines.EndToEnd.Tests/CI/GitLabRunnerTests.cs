using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace MLOps.Pipelines.EndToEnd.Tests.CI;

/// <summary>
/// The generated <c>.gitlab-ci.yml</c> of this repository, executed by gitlab-ci-local 4.60.0 with
/// <c>--force-shell-executor --shell-isolation</c> (every job in its own copy, sharing only artifacts and cache), for
/// the CustomerChurn pipeline (<c>PIPELINE=CustomerChurn</c>): the push pipeline, then the scheduled one, against a
/// real nginx WebDAV remote cache and a real OCI registry (Debian docker-registry) as the model store, both on loopback;
/// then the generated deploy pipeline (<c>CI_PIPELINE_SOURCE=web</c>) in a fresh clone of the origin the nightly run
/// pushed to, whose server is asked for a prediction and stopped by PID.
/// The run is driven by gitlab-ci-local-run.sh (also the benchmark).
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class GitLabRunnerTests(ITestOutputHelper log) : IDisposable
{
    readonly NginxWebDavServer _cache = new();
    readonly OciRegistryServer _registry = new();
    readonly TemporaryDirectory _workDirectory = new("mlops-gitlab-runner-");

    string _work => _workDirectory.Path;

    public void Dispose()
    {
        StopDeployedServers();
        _registry.Dispose();
        _cache.Dispose();
        _workDirectory.Dispose();
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLOps.Pipelines.sln")))
                return dir.FullName;
        throw new InvalidOperationException("MLOps.Pipelines.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Every_job_succeeds_no_target_runs_twice_and_the_nightly_run_commits_its_registry_entry_and_a_fresh_clone_serves_it()
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "tests", "MLOps.Pipelines.EndToEnd.Tests", "CI", "gitlab-ci-local-run.sh");
        var registryBefore = File.ReadAllText(Path.Combine(root, "models", "customer-churn", "registry.json"));

        // A repository path of this run's own in the (possibly shared) registry: the model is gcl-<id>/customer-churn.
        var repository = "gcl-" + Path.GetFileName(_work)[^8..];
        var store = $"oci://{_registry.Address}/{repository}";
        var servePort = FreeServePort();

        var (exitCode, output) = Run("bash", [script, _work], root, ("MLOPS_REMOTE_CACHE", _cache.Url.ToString()),
            ("MLOPS_MODEL_STORE", store), ("DEPLOY_SERVE_PORT", servePort.ToString(CultureInfo.InvariantCulture)));
        log.WriteLine(output); // the wall times, for docs/benchmarks.md

        exitCode.ShouldBe(0, output + Tail("push.log") + Tail("schedule.log") + Tail("deploy.log") + Tail("single.log"));
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
        Git(origin, "show", "main:pipelines.lock").ShouldContain("\"MinExamplesPerLeaf\": \"20\"");

        // The nightly's Register job pushed the binary to the OCI registry, by digest, and recorded where.
        using var registry = JsonDocument.Parse(registryAfter);
        var newest = registry.RootElement.GetProperty("versions").EnumerateArray().Last();
        var version = newest.GetProperty("version").GetInt32();
        var digest = newest.GetProperty("modelSha256").GetString()!;
        newest.GetProperty("modelLocation").GetString().ShouldBe($"{store}/customer-churn:sha256-{digest}");
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            using var blob = await http.GetAsync(new Uri($"http://{_registry.Address}/v2/{repository}/customer-churn/blobs/sha256:{digest}"));
            blob.StatusCode.ShouldBe(HttpStatusCode.OK);
            Convert.ToHexStringLower(SHA256.HashData(await blob.Content.ReadAsByteArrayAsync())).ShouldBe(digest);
        }
        registry.RootElement.GetProperty("aliases").GetProperty("champion").GetInt32().ShouldBe(version, "the nightly's model is the champion the deploy must serve");

        // The generated deploy pipeline in a fresh clone: nothing of the runs but the repository, the remote cache and the
        // model store. Every job succeeded, no target ran twice, nothing upstream was retrained or registered again (the
        // binary never entered the clone that way): Package's job fetched the champion from the registry by digest.
        var deployed = JobOutcomes("deploy", "deploy");
        deployed.Keys.ShouldContain("deploy:deploy-customerchurn");
        var deployRan = deployed.SelectMany(j => j.Value.Where(t => t.Value is "Succeeded" or "Restored").Select(t => (Job: j.Key, Target: t.Key))).ToList();
        deployRan.GroupBy(r => r.Target).Where(g => g.Count() > 1).Select(g => $"{g.Key} ran in {string.Join(", ", g.Select(r => r.Job))}").ShouldBeEmpty("deploy");
        deployed["deploy:deploy-customerchurn"].GetValueOrDefault("Deploy@CustomerChurn").ShouldBe("Succeeded", Tail("deploy.log"));
        deployed["deploy:package-customerchurn"].GetValueOrDefault("Package@CustomerChurn").ShouldBe("Succeeded", Tail("deploy.log"));
        deployed["deploy:register-customerchurn"].GetValueOrDefault("Register@CustomerChurn").ShouldBeOneOf(["UpToDate", "Restored"], Tail("deploy.log"));
        deployed["deploy:train-customerchurn"].GetValueOrDefault("Train@CustomerChurn").ShouldBeOneOf(["UpToDate", "Restored"], Tail("deploy.log"));
        var builds = Path.Combine(_work, "fresh", ".gitlab-ci-local", "builds");
        var fetched = Path.Combine(builds, JobFolder("deploy:package-customerchurn"), ".nuke", "cache", "models");
        Directory.EnumerateFiles(fetched, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldContain(f => f!.Contains(digest, StringComparison.Ordinal));
        (await ServedVersionAsync(servePort)).ShouldBe(version.ToString(CultureInfo.InvariantCulture));

        // The server outlived its job (started in its own session) and is stopped by the PID its Deploy recorded.
        var pids = StopDeployedServers();
        pids.ShouldNotBeEmpty();
        foreach (var pid in pids)
            File.Exists($"/proc/{pid}/cmdline").ShouldBeFalse($"server process {pid} is still running");
    }

    /// <summary>gitlab-ci-local's folder name for a job: what is not a word character or '-' is base64url-encoded (':' is "Og").</summary>
    static string JobFolder(string job) =>
        Regex.Replace(job, @"[^\w-]+", m => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(m.Value)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    /// <summary>The summary rows of a run's jobs whose names start with "prefix:": job name → target → outcome.</summary>
    Dictionary<string, Dictionary<string, string>> JobOutcomes(string run, string prefix) =>
        Directory.GetFiles(Path.Combine(_work, $"{run}-jobs"), "*.log")
            .Where(f => Path.GetFileName(f).StartsWith(JobFolder(prefix + ":"), StringComparison.Ordinal))
            .ToDictionary(
                f => prefix + ":" + Path.GetFileNameWithoutExtension(f)[JobFolder(prefix + ":").Length..],
                f => SummaryRow().Matches(File.ReadAllText(f)).GroupBy(m => m.Groups["target"].Value).ToDictionary(g => g.Key, g => g.Last().Groups["outcome"].Value));

    /// <summary>POSTs a golden record of the fresh clone's export to the served model; the version that answered.</summary>
    async Task<string> ServedVersionAsync(int port)
    {
        // The export job's artifacts, copied into the clone as gitlab-ci-local does after each job.
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(_work, "fresh", "artifacts", "customer-churn", "export", "golden.json")))!;
        var record = golden["records"]!.AsArray().First(r => r!.AsObject().All(kv => kv.Value is not null))!.DeepClone();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var body = new StringContent(new JsonArray(record).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/predict/customer-churn"), body);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        using var answer = JsonDocument.Parse(text);
        answer.RootElement.GetProperty("model").GetString().ShouldBe("customer-churn");
        var prediction = answer.RootElement.GetProperty("predictions")[0];
        prediction.GetProperty("probability").GetDouble().ShouldBeInRange(0, 1);
        return prediction.GetProperty("model_version").GetString()!;
    }

    /// <summary>CustomerChurn's stable port: the catalog's second pipeline serves on --serve-port + 1, so one below must be a port too.</summary>
    static int FreeServePort()
    {
        while (true)
            if (LoopbackPort.Free() is var port and > 1024)
                return port;
    }

    /// <summary>
    /// Stops the servers the fresh clone's Deploy job recorded (live.json, started.json in its folder under
    /// .gitlab-ci-local/builds: the process runtime's PIDs); the PIDs it stopped.
    /// </summary>
    List<int> StopDeployedServers()
    {
        var builds = Path.Combine(_work, "fresh", ".gitlab-ci-local", "builds");
        var pids = new List<int>();
        if (!Directory.Exists(builds))
            return pids;
        var states = Directory.GetDirectories(builds)
            .Select(job => Path.Combine(job, "artifacts", "delivery", "CustomerChurn", "state"))
            .Where(Directory.Exists)
            .SelectMany(state => Directory.EnumerateFiles(state, "*.json", SearchOption.AllDirectories))
            .Where(f => Path.GetFileName(f) is "live.json" or "started.json");
        foreach (var file in states)
        {
            var node = JsonNode.Parse(File.ReadAllText(file));
            foreach (var server in node is JsonArray list ? list.OfType<JsonObject>() : node is JsonObject one ? [one] : [])
                if (server["runtime"]?.GetValue<string>() == "process" && int.TryParse(server["id"]?.GetValue<string>(), out var pid) && !pids.Contains(pid))
                    pids.Add(pid);
        }
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
        }
        return pids;
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
