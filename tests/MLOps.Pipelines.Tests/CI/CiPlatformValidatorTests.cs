using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>The generated files pass the platforms' own validators, run offline (see <see cref="CiValidators"/>).</summary>
public sealed class CiPlatformValidatorTests
{
    static IReadOnlyList<KeyValuePair<string, string>> Workflows()
    {
        var grouped = CiTestBuilds.GitHubCi();
        grouped.JobGroups = ["model: Train, Evaluate"];
        var everything = new GitHubActionsAttribute("everything")
        {
            On = [CiTrigger.Push, CiTrigger.PullRequest, CiTrigger.WorkflowDispatch],
            OnPushTags = ["v*", "!v*-rc*"],
            OnPushPathsIgnore = ["docs/**"],
            OnPullRequestBranchesIgnore = ["experimental/**"],
            OnPullRequestPaths = ["src/**"],
            OnCronSchedule = "*/30 6-7 * * MON-FRI",
            InvokedTargets = ["Deploy", "Report"],
            ImportSecrets = ["RegistryToken", "DOCKER_PASSWORD"],
            RunsOn = "ubuntu-24.04",
            TimeoutMinutes = 45,
            ConcurrencyGroup = "everything-${{ github.ref }}",
            Environment = "production",
            ReadPermissions = [GitHubActionsPermission.Contents, GitHubActionsPermission.Actions],
            WritePermissions = [GitHubActionsPermission.IdToken, GitHubActionsPermission.Packages],
            DispatchInputs = ["Trees", "Booster", "Explain", "SchemaVersion", "Features"],
            JobGroups = ["release: Register, Deploy"],
            ArtifactPaths = ["Report: artifacts/report.pdf"],
            RemoteCacheUrlVariable = "CACHE_URL",
            RemoteCacheTokenSecret = "CACHE_TOKEN",
        };
        return
        [
            new("ci.yml", GitHubActionsGenerator.Generate(CiTestBuilds.GitHubCi(), CiTestBuilds.Demo)),
            new("nightly-retrain.yml", GitHubActionsGenerator.Generate(CiTestBuilds.GitHubNightly(), CiTestBuilds.Demo)),
            new("grouped.yml", GitHubActionsGenerator.Generate(grouped, CiTestBuilds.Demo).Replace("name: ci\n", "name: grouped\n", StringComparison.Ordinal)),
            new("everything.yml", GitHubActionsGenerator.Generate(everything, CiTestBuilds.Demo)),
            new("diamond.yml", GitHubActionsGenerator.Generate(new GitHubActionsAttribute("diamond") { On = [CiTrigger.Push], InvokedTargets = ["D"] }, CiTestBuilds.Diamond)),
            new("families.yml", GitHubActionsGenerator.Generate(new GitHubActionsAttribute("families") { On = [CiTrigger.Push], InvokedTargets = ["Report"] }, CiTestBuilds.Families)),
        ];
    }

    [Fact]
    public void Actionlint_accepts_every_generated_workflow()
    {
        var (exitCode, output) = CiValidators.Actionlint(Workflows());

        output.ShouldContain("Checking 6 workflow file(s)");
        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public void Actionlint_rejects_a_workflow_whose_needs_name_a_missing_job()
    {
        // The control: the validator really looks at the files (a broken edge must fail).
        var broken = GitHubActionsGenerator.Generate(CiTestBuilds.GitHubCi(), CiTestBuilds.Demo)
            .Replace("    needs:\n      - prepare\n", "    needs:\n      - prepair\n", StringComparison.Ordinal);

        var (exitCode, output) = CiValidators.Actionlint([new("ci.yml", broken)]);

        exitCode.ShouldBe(1);
        output.ShouldContain("needs job \"prepair\" which does not exist");
    }

    static string GitLabFile() =>
        GitLabCiGenerator.Generate([CiTestBuilds.GitLabCi(), CiTestBuilds.GitLabNightly()], CiTestBuilds.Demo);

    static List<string> ListedJobs(string output) => output.Split('\n')
        .SkipWhile(l => !l.StartsWith("name ", StringComparison.Ordinal)).Skip(1)
        .Select(l => l.Split(' ', 2)[0].Trim()).Where(n => n.Length > 0).ToList();

    [Fact]
    public void Gitlab_ci_local_accepts_the_file_and_runs_the_push_pipeline_on_main()
    {
        var (exitCode, output) = CiValidators.GitLabCiLocalList(GitLabFile());

        exitCode.ShouldBe(0, output);
        output.ShouldContain("json schema validated");
        ListedJobs(output).ShouldBe(["prepare", "train", "validate", "evaluate"]);
    }

    [Fact]
    public void Gitlab_ci_local_runs_only_the_retraining_jobs_for_their_schedule()
    {
        var (exitCode, output) = CiValidators.GitLabCiLocalList(GitLabFile(),
            "--variable", "CI_PIPELINE_SOURCE=schedule", "--variable", "PIPELINES_SCHEDULE=nightly-retrain");

        exitCode.ShouldBe(0, output);
        ListedJobs(output).ShouldBe([
            "nightly-retrain:prepare", "nightly-retrain:train", "nightly-retrain:validate", "nightly-retrain:evaluate",
            "nightly-retrain:register", "nightly-retrain:deploy",
        ]);
    }

    [Fact]
    public void Gitlab_ci_local_skips_the_branch_filtered_pipeline_on_another_branch()
    {
        var (exitCode, output) = CiValidators.GitLabCiLocalList(GitLabFile(), "--variable", "CI_COMMIT_BRANCH=feature/x");

        exitCode.ShouldBe(0, output);
        ListedJobs(output).ShouldBeEmpty();
    }

    [Fact]
    public void Gitlab_ci_local_accepts_the_diamond_and_lists_every_need()
    {
        var yaml = GitLabCiGenerator.Generate([new GitLabAttribute { On = [CiTrigger.Push], InvokedTargets = ["D"] }], CiTestBuilds.Diamond);

        var (exitCode, output) = CiValidators.GitLabCiLocalList(yaml);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("[a,b,c]");
    }

    [Fact]
    public void Gitlab_ci_local_accepts_one_job_per_family_instance_wired_per_key()
    {
        var yaml = GitLabCiGenerator.Generate([new GitLabAttribute { On = [CiTrigger.Push], InvokedTargets = ["Report"] }], CiTestBuilds.Families);

        var (exitCode, output) = CiValidators.GitLabCiLocalList(yaml);

        exitCode.ShouldBe(0, output);
        // Report needs every instance of the family it depends on (and, for their artifacts, what they need).
        output.ShouldContain("train-customerchurn,train-flightdelays]");
        output.ShouldContain("[prepare-flightdelays]");
    }

    [Fact]
    public void Gitlab_ci_local_rejects_a_file_with_an_unknown_need()
    {
        var broken = GitLabFile().Replace("  needs:\n    - prepare\n", "  needs:\n    - prepair\n", StringComparison.Ordinal);

        var (exitCode, output) = CiValidators.GitLabCiLocalList(broken);

        exitCode.ShouldNotBe(0);
        output.ShouldContain("prepair");
    }
}
