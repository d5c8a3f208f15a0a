#pragma warning disable CS0649 // [Parameter] fields are assigned by reflection
using System.Diagnostics;
using System.Text.Json.Nodes;
using MLOps.Pipelines.Tests.Engine;

namespace MLOps.Pipelines.Tests.Audit;

/// <summary>Every run of a real build appends one record: what it holds, what it must never hold, and --verify-audit.</summary>
[Collection(nameof(InProcessBuilds))]
public class AuditRunTests
{
    const string Secret = "tok-8f2e61c9-do-not-log";

    sealed class AuditedBuild : LoggingBuild
    {
        [Parameter("Boosting rounds")] readonly int Trees = 10;
        [Parameter("Registry token"), Secret] readonly string? Token;
        AbsolutePath Input => RootDirectory / "input.txt";
        AbsolutePath Model => RootDirectory / "out" / "model.txt";

        Target Train => _ => _.Inputs(Input).Outputs(Model).Executes(() =>
        {
            Directory.CreateDirectory(RootDirectory / "out");
            File.WriteAllText(Model, $"{File.ReadAllText(Input)}x{Trees}");
            TargetMetrics.Record("auc", 0.875);
        });

        Target Register => _ => _.DependsOn(Train).Executes(() =>
        {
            // A library reporting an event, carelessly including the secret.
            AuditEvents.Record("registry.alias", new Dictionary<string, string>
            {
                ["model"] = "demo", ["alias"] = "champion", ["to"] = "2", ["why"] = $"auc 0.875 > 0.85 (token {Token})",
            }).ShouldBeTrue();
        });

        Target Leak => _ => _.Executes(() => throw new InvalidOperationException($"upload refused for token {Token}"));
    }

    static JsonObject[] Records(BuildRun run) =>
        [.. File.ReadAllLines(run.Root / ".nuke" / "audit" / "audit.log").Select(l => JsonNode.Parse(l)!.AsObject())];

    static void Git(string root, params string[] args)
    {
        var start = new ProcessStartInfo("git", ["-C", root, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@example.org";
        using var process = Process.Start(start)!;
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, process.StandardError.ReadToEnd());
    }

    [Fact]
    public void A_run_records_who_what_outcomes_fingerprints_outputs_metrics_parameters_events_and_git_state()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "21");
        File.WriteAllText(run.Root / ".gitignore", ".nuke/\nout/\nlog.txt\n");
        Git(run.Root, "init", "-q");
        Git(run.Root, "add", "-A");
        Git(run.Root, "commit", "-q", "-m", "start");

        run.Run<AuditedBuild>($"Register --trees 12 --token {Secret}");
        run.ExitCode.ShouldBe(0, run.Output + run.Error);

        var record = Records(run).ShouldHaveSingleItem();
        // The record is written straight in canonical form: re-serializing its parse gives the same bytes.
        var line = File.ReadAllLines(run.Root / ".nuke" / "audit" / "audit.log").Single();
        MLOps.Pipelines.Internal.Audit.CanonicalJson.SerializeToString(JsonNode.Parse(line)).ShouldBe(line);
        record["seq"]!.GetValue<long>().ShouldBe(1);
        record["user"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        record["host"]!.GetValue<string>().ShouldBe(Environment.MachineName);
        record["exitCode"]!.GetValue<int>().ShouldBe(0);
        record["git"]!["commit"]!.GetValue<string>().Length.ShouldBe(40);
        record["git"]!["dirty"]!.GetValue<bool>().ShouldBeFalse();
        record["commandLine"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("***");

        var train = record["targets"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "Train")!;
        train["outcome"]!.GetValue<string>().ShouldBe("Succeeded");
        train["fingerprint"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        train["outputs"]!.AsArray().Single()!["path"]!.GetValue<string>().ShouldBe("out/model.txt");
        train["metrics"]!["auc"]!.GetValue<double>().ShouldBe(0.875);
        record["parameters"]!["Trees"]!["value"]!.GetValue<string>().ShouldBe("12");
        record["parameters"]!["Token"]!["value"]!.GetValue<string>().ShouldBe("***");
        var e = record["events"]!.AsArray().ShouldHaveSingleItem()!;
        e["kind"]!.GetValue<string>().ShouldBe("registry.alias");
        e["target"]!.GetValue<string>().ShouldBe("Register");
        e["fields"]!["why"]!.GetValue<string>().ShouldBe("auc 0.875 > 0.85 (token ***)");

        // A second run: up to date, chained to the first; an uncommitted edit makes the tree dirty.
        File.WriteAllText(run.Root / "notes.txt", "uncommitted");
        run.Run<AuditedBuild>("Train --trees 12");
        var second = Records(run)[1];
        second["prev"]!.GetValue<string>().ShouldBe(record["hash"]!.GetValue<string>());
        second["git"]!["dirty"]!.GetValue<bool>().ShouldBeTrue();
        second["targets"]![0]!["outcome"]!.GetValue<string>().ShouldBe("UpToDate");
        second["targets"]![0]!["fingerprint"]!.GetValue<string>().ShouldBe(train["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public void Secrets_never_appear_in_the_log_whatever_path_they_take()
    {
        using var run = new BuildRun();
        run.Run<AuditedBuild>($"Leak --token={Secret}");
        run.ExitCode.ShouldBe(1);
        run.Run<AuditedBuild>($"Leak --token {Secret}");
        Environment.SetEnvironmentVariable("TOKEN", Secret);
        try
        {
            run.Run<AuditedBuild>("Leak");
        }
        finally
        {
            Environment.SetEnvironmentVariable("TOKEN", null);
        }

        var text = File.ReadAllText(run.Root / ".nuke" / "audit" / "audit.log");
        text.ShouldNotContain(Secret);
        Records(run).Length.ShouldBe(3);
        Records(run)[0]["targets"]![0]!["reason"]!.GetValue<string>().ShouldContain("upload refused for token ***");
        Records(run)[0]["commandLine"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldContain("--token=***");
        Records(run)[2]["parameters"]!["Token"]!["source"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Verify_audit_counts_an_intact_chain_and_names_the_first_broken_record()
    {
        using var run = new BuildRun();
        File.WriteAllText(run.Root / "input.txt", "1");
        for (var i = 0; i < 3; i++) run.Run<AuditedBuild>("Train");

        run.Run<AuditedBuild>("--verify-audit");
        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("3 records checked, chain intact");
        Records(run).Length.ShouldBe(3); // verifying is not a run

        var log = run.Root / ".nuke" / "audit" / "audit.log";
        var lines = File.ReadAllLines(log);
        lines[1] = lines[1].Replace("\"outcome\":\"UpToDate\"", "\"outcome\":\"Succeeded\"", StringComparison.Ordinal);
        File.WriteAllText(log, string.Join("\n", lines) + "\n");
        run.Run<AuditedBuild>("--verify-audit");
        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("record 2 (line 2) was altered");

        // Another path is verified when given.
        run.Run<AuditedBuild>($"--verify-audit {run.Root / "missing.log"}");
        run.ExitCode.ShouldBe(0);
        run.Output.ShouldContain("0 records checked");
    }
}
