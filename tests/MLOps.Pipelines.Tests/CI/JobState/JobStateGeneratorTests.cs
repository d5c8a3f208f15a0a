using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.CI.JobState;

/// <summary>The generated jobs hand their state on, a nightly run commits it back, and a dispatch runs one key's jobs.</summary>
public sealed class JobStateGeneratorTests
{
    static GitLabAttribute GitLabNightly() => new("nightly")
    {
        OnCronSchedule = "0 3 * * *",
        InvokedTargets = ["Report"],
        InstanceInput = "pipeline",
        StatePaths = ["models/*/registry.json"],
        CommitBackPaths = ["pipelines.lock", "models/*/registry.json"],
        CommitMessageFile = "registry-change.txt",
        CommitMessageFallback = "nightly: record state",
    };

    static GitHubActionsAttribute GitHubNightly() => new("nightly")
    {
        OnCronSchedule = "0 3 * * *",
        InvokedTargets = ["Train"],
        InstanceInput = "pipeline",
        CommitBackPaths = ["pipelines.lock", "models/*/registry.json"],
        CommitMessageFile = "registry-change.txt",
        WritePermissions = [GitHubActionsPermission.Contents],
    };

    [Fact]
    public void A_gitlab_job_merges_every_upstream_state_and_writes_its_own_without_skipping()
    {
        var yaml = GitLabCiGenerator.Generate([GitLabNightly()], CiTestBuilds.Families);

        yaml.ShouldContain("./build.sh Train@CustomerChurn --job-state-in .nuke/temp/job-state/prepare-customerchurn --job-state-out .nuke/temp/job-state/train-customerchurn --job-state-files 'models/*/registry.json'");
        yaml.ShouldContain("      - .nuke/temp/job-state/train-customerchurn/\n");
        yaml.ShouldContain("      - \"artifacts/**/registry-change.txt\"\n");
        yaml.ShouldNotContain("--skip");
        // Every pipeline's jobs compile the build once per source change, not once per job.
        yaml.ShouldContain("    - key: build-program\n      paths:\n        - .nuke/temp/build-bin/\n");
    }

    [Fact]
    public void A_target_without_outputs_upstream_in_another_job_is_skipped_not_run_again()
    {
        var build = new CiBuild(
        [
            new CiTarget("Prepare@A", "", []) { Family = "Prepare", ArtifactPaths = ["artifacts/a/prepared/"] },
            new CiTarget("Monitor@A", "", ["Prepare@A"]) { Family = "Monitor", AlwaysRuns = true },
            new CiTarget("Retrain@A", "", ["Monitor@A"]) { Family = "Retrain", AlwaysRuns = true },
        ], []);

        var yaml = GitLabCiGenerator.Generate([new GitLabAttribute { On = [CiTrigger.Push], InvokedTargets = ["Retrain"], ArtifactPaths = ["Monitor: artifacts/*/monitor/"] }], build);

        yaml.ShouldContain("./build.sh Retrain@A --job-state-in .nuke/temp/job-state/monitor-a .nuke/temp/job-state/prepare-a --skip Monitor@A --job-state-out .nuke/temp/job-state/retrain-a");
        yaml.ShouldContain("./build.sh Monitor@A --job-state-in .nuke/temp/job-state/prepare-a --job-state-out .nuke/temp/job-state/monitor-a");
        yaml.ShouldContain("      - \"artifacts/*/monitor/\"\n");
    }

    [Fact]
    public void A_target_ordered_after_another_the_pipeline_runs_waits_for_its_job_and_takes_its_state()
    {
        // Monitor reads the registry Register writes: one process runs it after Register, so its job must too.
        var build = new CiBuild(
        [
            new CiTarget("Prepare@A", "", []) { Family = "Prepare", ArtifactPaths = ["artifacts/a/prepared/"] },
            new CiTarget("Register@A", "", ["Prepare@A"]) { Family = "Register", ArtifactPaths = ["artifacts/a/receipt.json"] },
            new CiTarget("Monitor@A", "", ["Prepare@A"]) { Family = "Monitor", AlwaysRuns = true, OrderedAfter = ["Register@A", "Deploy@A"] },
            new CiTarget("Deploy@A", "", ["Register@A"]) { Family = "Deploy", AlwaysRuns = true },
        ], []);

        var jobs = CiJobPlan.Create(new GitLabAttribute { On = [CiTrigger.Push], InvokedTargets = ["Monitor", "Register"] }, build, "[GitLab]");

        var monitor = jobs.Single(j => j.Id == "monitor-a");
        monitor.Needs.ShouldBe(["prepare-a", "register-a"]);
        // An ordering never pulls a target in: Deploy is not run, so nothing waits for it.
        jobs.ShouldNotContain(j => j.Id == "deploy-a");
        var yaml = GitLabCiGenerator.Generate([new GitLabAttribute { On = [CiTrigger.Push], InvokedTargets = ["Monitor", "Register"] }], build);
        yaml.ShouldContain("./build.sh Monitor@A --job-state-in .nuke/temp/job-state/prepare-a .nuke/temp/job-state/register-a --job-state-out .nuke/temp/job-state/monitor-a");
    }

    [Fact]
    public void The_gitlab_commit_back_job_comes_last_and_pushes_with_the_project_token()
    {
        var yaml = GitLabCiGenerator.Generate([GitLabNightly()], CiTestBuilds.Families);

        yaml.ShouldContain("nightly:commit-back:\n  stage: stage-4\n");
        yaml.ShouldContain("    - job: nightly:report\n      optional: true\n");
        yaml.ShouldContain("find artifacts -type f -name registry-change.txt");
        yaml.ShouldContain("message='nightly: record state'");
        yaml.ShouldContain("git push \"https://oauth2:${CI_PUSH_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git\" \"HEAD:${CI_COMMIT_REF_NAME}\"");
        yaml.ShouldContain("CI_PUSH_TOKEN");
    }

    [Fact]
    public void Gitlab_ci_local_lists_only_one_keys_chain_when_the_variable_names_it()
    {
        var yaml = GitLabCiGenerator.Generate([GitLabNightly()], CiTestBuilds.Families);

        var (exitCode, output) = CiValidators.GitLabCiLocalList(yaml,
            "--variable", "CI_PIPELINE_SOURCE=schedule", "--variable", "PIPELINES_SCHEDULE=nightly", "--variable", "PIPELINE=CustomerChurn");

        exitCode.ShouldBe(0, output);
        var jobs = output.Split('\n').SkipWhile(l => !l.StartsWith("name ", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Split(' ', 2)[0].Trim()).Where(n => n.Length > 0).ToList();
        // Report is a plain target (every key): it stays, and so does the commit-back job.
        jobs.ShouldBe(["nightly:prepare-customerchurn", "nightly:train-customerchurn", "nightly:report", "nightly:commit-back"], ignoreOrder: true);
    }

    [Fact]
    public void Gitlab_ci_local_lists_every_chain_without_the_variable()
    {
        var yaml = GitLabCiGenerator.Generate([GitLabNightly()], CiTestBuilds.Families);

        var (exitCode, output) = CiValidators.GitLabCiLocalList(yaml, "--variable", "CI_PIPELINE_SOURCE=schedule", "--variable", "PIPELINES_SCHEDULE=nightly");

        exitCode.ShouldBe(0, output);
        output.ShouldContain("nightly:train-flightdelays");
        output.ShouldContain("nightly:train-customerchurn");
    }

    [Fact]
    public void A_github_workflow_filters_by_input_keys_caches_per_run_and_commits_back()
    {
        var yaml = GitHubActionsGenerator.Generate(GitHubNightly(), CiTestBuilds.Families);

        yaml.ShouldContain("      pipeline:\n        description:");
        yaml.ShouldContain("    if: \"${{ !inputs.pipeline || inputs.pipeline == 'CustomerChurn' }}\"\n");
        yaml.ShouldContain("key: \"pipelines-${{ runner.os }}-nightly-train-customerchurn-${{ hashFiles(");
        yaml.ShouldContain("-${{ github.run_id }}-${{ github.run_attempt }}\"\n");
        yaml.ShouldContain("name: \"nightly-train-customerchurn-${{ github.run_id }}-${{ github.run_attempt }}\"");
        yaml.ShouldContain("include-hidden-files: true");
        yaml.ShouldContain("  commit-back:\n");
        yaml.ShouldContain("pattern: \"nightly-*-${{ github.run_id }}-${{ github.run_attempt }}\"");
        yaml.ShouldContain("git push origin \"HEAD:${GITHUB_REF_NAME}\"");
        yaml.ShouldNotContain("--skip");
    }

    [Fact]
    public void Actionlint_accepts_the_nightly_workflow_with_commit_back_and_instance_input()
    {
        var (exitCode, output) = CiValidators.Actionlint([new("nightly.yml", GitHubActionsGenerator.Generate(GitHubNightly(), CiTestBuilds.Families))]);

        exitCode.ShouldBe(0, output);
    }
}
