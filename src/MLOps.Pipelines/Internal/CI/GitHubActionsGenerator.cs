using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI.Yaml;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>Writes one GitHub Actions workflow per <see cref="GitHubActionsAttribute"/>: a job per target (or group).</summary>
internal static class GitHubActionsGenerator
{
    public static string RelativePath(GitHubActionsAttribute attribute) => $".github/workflows/{attribute.Name}.yml";

    public static string Generate(GitHubActionsAttribute attribute, CiBuild build)
    {
        var where = $"[GitHubActions(\"{attribute.Name}\")]";
        if (!System.Text.RegularExpressions.Regex.IsMatch(attribute.Name, "^[A-Za-z0-9][A-Za-z0-9._-]*$"))
            throw new CiConfigurationException($"{where}: the name becomes the file name .github/workflows/<name>.yml; use letters, digits, '.', '-' and '_'.");
        CiAttributeCheck.Triggers(attribute, where);
        CiAttributeCheck.Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushBranchesIgnore", attribute.OnPushBranchesIgnore, "Push");
        CiAttributeCheck.Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushTagsIgnore", attribute.OnPushTagsIgnore, "Push");
        CiAttributeCheck.Require(attribute.On.Contains(CiTrigger.Push), where, "OnPushPathsIgnore", attribute.OnPushPathsIgnore, "Push");
        CiAttributeCheck.Require(attribute.On.Contains(CiTrigger.PullRequest), where, "OnPullRequestBranchesIgnore", attribute.OnPullRequestBranchesIgnore, "PullRequest");
        CiAttributeCheck.Require(attribute.On.Contains(CiTrigger.PullRequest), where, "OnPullRequestPathsIgnore", attribute.OnPullRequestPathsIgnore, "PullRequest");
        Exclusive(where, "OnPushBranches", attribute.OnPushBranches, attribute.OnPushBranchesIgnore);
        Exclusive(where, "OnPushTags", attribute.OnPushTags, attribute.OnPushTagsIgnore);
        Exclusive(where, "OnPushPaths", attribute.OnPushPaths, attribute.OnPushPathsIgnore);
        Exclusive(where, "OnPullRequestBranches", attribute.OnPullRequestBranches, attribute.OnPullRequestBranchesIgnore);
        Exclusive(where, "OnPullRequestPaths", attribute.OnPullRequestPaths, attribute.OnPullRequestPathsIgnore);
        CiAttributeCheck.VariableNameOf(attribute.RemoteCacheUrlVariable, where, "RemoteCacheUrlVariable");
        CiAttributeCheck.VariableNameOf(attribute.RemoteCacheTokenSecret, where, "RemoteCacheTokenSecret");

        var secrets = CiAttributeCheck.Secrets(attribute, build, where);
        var inputs = CiAttributeCheck.DispatchInputs(attribute, build, where);
        var jobs = CiJobPlan.Create(attribute, build, where);

        var workflow = new YamlMap()
            .Add("name", attribute.Name)
            .Add(YamlScalar.Verbatim("on"), Triggers(attribute, inputs))
            .Add("permissions", Permissions(attribute));
        if (attribute.ConcurrencyGroup is not null)
            workflow.Add("concurrency", new YamlMap()
                .Add("group", attribute.ConcurrencyGroup)
                .Add("cancel-in-progress", attribute.ConcurrencyCancelInProgress));
        workflow.Add("env", Environment(attribute, build, secrets, inputs));

        var jobMap = new YamlMap();
        foreach (var job in jobs)
            jobMap.Add(job.Id, Job(attribute, build, job, jobs));
        if (attribute.CommitBackPaths.Length > 0)
            jobMap.Add(CiJobScript.CommitBackJobId, CommitBackJob(attribute, build, jobs));
        workflow.Add("jobs", jobMap);
        return YamlText.Write(workflow, [CiFiles.Banner]);
    }

    static void Exclusive(string where, string property, string[] filter, string[] ignore)
    {
        if (filter.Length > 0 && ignore.Length > 0)
            throw new CiConfigurationException(
                $"{where}: GitHub does not allow {property} and {property}Ignore for the same event. Use {property} alone, with '!pattern' entries to exclude.");
    }

    static YamlMap Triggers(GitHubActionsAttribute a, IReadOnlyList<CiParameter> inputs)
    {
        var on = new YamlMap();
        if (a.On.Contains(CiTrigger.Push))
            on.Add("push", new YamlMap()
                .AddIfAny("branches", a.OnPushBranches)
                .AddIfAny("branches-ignore", a.OnPushBranchesIgnore)
                .AddIfAny("tags", a.OnPushTags)
                .AddIfAny("tags-ignore", a.OnPushTagsIgnore)
                .AddIfAny("paths", a.OnPushPaths)
                .AddIfAny("paths-ignore", a.OnPushPathsIgnore));
        if (a.On.Contains(CiTrigger.PullRequest))
            on.Add("pull_request", new YamlMap()
                .AddIfAny("branches", a.OnPullRequestBranches)
                .AddIfAny("branches-ignore", a.OnPullRequestBranchesIgnore)
                .AddIfAny("paths", a.OnPullRequestPaths)
                .AddIfAny("paths-ignore", a.OnPullRequestPathsIgnore));
        if (a.On.Contains(CiTrigger.WorkflowDispatch) || inputs.Count > 0 || a.InstanceInput is not null)
        {
            var inputMap = new YamlMap();
            if (a.InstanceInput is not null)
                inputMap.Add(a.InstanceInput, new YamlMap()
                    .Add("description", "Run only the jobs of this family key (e.g. one pipeline); empty runs every one")
                    .Add("required", false)
                    .Add("type", "string")
                    .Add("default", ""));
            foreach (var p in inputs)
                inputMap.Add(p.CliName, DispatchInput(p));
            on.Add("workflow_dispatch", new YamlMap().AddIfAny("inputs", inputMap));
        }
        if (a.OnCronSchedule is not null)
            on.Add("schedule", new YamlSequence().Add(new YamlMap().Add("cron", a.OnCronSchedule)));
        return on;
    }

    static YamlMap DispatchInput(CiParameter p)
    {
        var input = new YamlMap().Add("description", string.IsNullOrWhiteSpace(p.Description) ? p.MemberName : p.Description);
        input.Add("required", false);
        switch (p.Kind)
        {
            case CiParameterKind.Bool:
                input.Add("type", "boolean");
                if (p.DefaultValue is not null)
                    input.Add("default", bool.Parse(p.DefaultValue));
                break;
            case CiParameterKind.Enum:
                input.Add("type", "choice");
                input.Add("options", p.EnumValues);
                input.Add("default", p.DefaultValue ?? p.EnumValues[0]);
                break;
            default:
                input.Add("type", "string");
                if (p.DefaultValue is not null)
                    input.Add("default", p.DefaultValue);
                break;
        }
        return input;
    }

    static YamlMap Permissions(GitHubActionsAttribute a)
    {
        var permissions = new YamlMap();
        if (a.ReadPermissions.Length == 0 && a.WritePermissions.Length == 0)
            return permissions.Add("contents", "read");
        foreach (var scope in Enum.GetValues<GitHubActionsPermission>())
        {
            if (a.WritePermissions.Contains(scope))
                permissions.Add(CiJobPlan.Kebab(scope.ToString()), "write");
            else if (a.ReadPermissions.Contains(scope))
                permissions.Add(CiJobPlan.Kebab(scope.ToString()), "read");
        }
        return permissions;
    }

    static YamlMap Environment(GitHubActionsAttribute a, CiBuild build, IReadOnlyList<CiSecret> secrets, IReadOnlyList<CiParameter> inputs)
    {
        // What the build declares first ([CiEnvironmentVariable]): it must be set before the process starts.
        var env = new YamlMap();
        foreach (var (name, value) in build.Environment)
            env.Add(name, value);
        // Configuration from repository variables ([CiVariable]): empty when unset, which the engine reads as not given.
        foreach (var v in build.Variables)
            env.Add(v.EnvironmentName, $"${{{{ vars.{v.VariableName} }}}}");
        env.Add("DOTNET_NOLOGO", "true")
            .Add("DOTNET_CLI_TELEMETRY_OPTOUT", "true");
        // An input is empty on events other than a manual run; the engine then falls back to the default.
        foreach (var p in inputs)
            env.Add(p.EnvironmentName, $"${{{{ inputs.{p.CliName} }}}}");
        foreach (var s in secrets)
            env.Add(s.EnvironmentName, $"${{{{ secrets.{s.SecretName} }}}}");
        if (a.RemoteCacheUrlVariable is not null)
            env.Add(build.RemoteCacheUrlEnvironmentVariable, $"${{{{ vars.{a.RemoteCacheUrlVariable} }}}}");
        if (a.RemoteCacheTokenSecret is not null)
            env.Add(build.RemoteCacheTokenEnvironmentVariable, $"${{{{ secrets.{a.RemoteCacheTokenSecret} }}}}");
        if (a.RemoteCachePush)
            env.Add(build.RemoteCachePushEnvironmentVariable, "true");
        return env;
    }

    static YamlMap Job(GitHubActionsAttribute a, CiBuild build, CiJob job, IReadOnlyList<CiJob> jobs)
    {
        var map = new YamlMap().Add("name", string.Join(", ", job.TargetNames));
        map.AddIfAny("needs", job.Needs.ToList());
        // A run limited to one key leaves out the other keys' jobs (a job whose needs were skipped is skipped too).
        if (a.InstanceInput is not null && CiJobScript.InstanceKey(job) is { } key)
            map.Add("if", $"${{{{ !inputs.{a.InstanceInput} || inputs.{a.InstanceInput} == '{key}' }}}}");
        map.Add("runs-on", a.RunsOn);
        if (a.TimeoutMinutes > 0)
            map.Add("timeout-minutes", a.TimeoutMinutes);
        if (job.DeploysToEnvironment)
            map.Add("environment", a.Environment!);

        var steps = SetupSteps(build);

        var hash = $"${{{{ hashFiles({string.Join(", ", build.CacheKeyFiles.Select(f => $"'{f}'"))}) }}}}";
        // Per workflow and job, and per run and attempt: an entry is immutable once saved, so neither another
        // workflow running the same target nor a rerun may take the key; restore falls back to the newest prefix.
        var prefix = $"pipelines-${{{{ runner.os }}}}-{a.Name}-{job.Id}-";
        steps.Add(new YamlMap()
            .Add("name", "Restore the content store")
            .Add("uses", "actions/cache@v4")
            .Add("with", new YamlMap()
                .Add("path", build.ContentStorePath)
                .Add("key", $"{prefix}{hash}-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}")
                .Add("restore-keys", $"{prefix}{hash}-\n{prefix}\npipelines-${{{{ runner.os }}}}-\n")));

        if (a.PublishArtifacts)
            foreach (var upstream in jobs.Where(j => job.Ancestors.Contains(j.Id)))
                steps.Add(new YamlMap()
                    .Add("name", $"Download the outputs of {string.Join(", ", upstream.TargetNames)}")
                    .Add("uses", "actions/download-artifact@v4")
                    .Add("with", new YamlMap()
                        .Add("name", ArtifactName(a, upstream))
                        .Add("path", UploadRoot(CiJobScript.ArtifactPaths(a, build, upstream)))));

        steps.Add(new YamlMap()
            .Add("name", $"Run {string.Join(", ", job.TargetNames)}")
            .Add("run", CiJobScript.Build(a, build, job)));

        var artifacts = CiJobScript.ArtifactPaths(a, build, job);
        if (a.PublishArtifacts && artifacts.Count > 0)
            steps.Add(new YamlMap()
                .Add("name", $"Upload the outputs of {string.Join(", ", job.TargetNames)}")
                .Add("uses", "actions/upload-artifact@v4")
                .Add("with", new YamlMap()
                    .Add("name", ArtifactName(a, job))
                    .Add("path", string.Join("\n", artifacts) + "\n")
                    // The job state lives under .nuke/, which upload-artifact leaves out unless told.
                    .Add("include-hidden-files", true)
                    .Add("if-no-files-found", "warn")));
        return map.Add("steps", steps);
    }

    static YamlSequence SetupSteps(CiBuild build) => new YamlSequence()
        .Add(new YamlMap().Add("uses", "actions/checkout@v4"))
        .Add(new YamlMap().Add("uses", "actions/setup-dotnet@v4")
            .Add("with", new YamlMap().Add("global-json-file", "global.json")))
        // The compiled build program: the first job of a run compiles it, the others start it directly.
        .Add(new YamlMap()
            .Add("name", "Restore the compiled build")
            .Add("uses", "actions/cache@v4")
            .Add("with", new YamlMap()
                .Add("path", build.BuildProgramPath)
                .Add("key", $"build-program-${{{{ runner.os }}}}-${{{{ hashFiles({string.Join(", ", build.BuildProgramKeyFiles.Select(f => $"'{f}'"))}) }}}}")));

    /// <summary>After every job that ran: merge their states, commit the commit-back paths, push with the workflow's token.</summary>
    static YamlMap CommitBackJob(GitHubActionsAttribute a, CiBuild build, IReadOnlyList<CiJob> jobs)
    {
        var map = new YamlMap()
            .Add("name", "Commit back " + string.Join(", ", a.CommitBackPaths))
            .Add("needs", jobs.Select(j => j.Id).ToList())
            // Also when a dispatch limited the run to one key (the others' jobs are skipped), never after a failure.
            .Add("if", "${{ !cancelled() && !contains(needs.*.result, 'failure') }}")
            .Add("runs-on", a.RunsOn);
        if (a.TimeoutMinutes > 0)
            map.Add("timeout-minutes", a.TimeoutMinutes);
        var steps = SetupSteps(build);
        if (a.PublishArtifacts)
            steps.Add(new YamlMap()
                .Add("name", "Download every job's outputs and state")
                .Add("uses", "actions/download-artifact@v4")
                .Add("with", new YamlMap()
                    .Add("pattern", $"{a.Name}-*-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}")
                    .Add("merge-multiple", true)
                    .Add("path", ".")));
        steps.Add(new YamlMap()
            .Add("name", "Commit and push")
            .Add("run", string.Join("\n", CiJobScript.CommitBack(a, build, "git push origin \"HEAD:${GITHUB_REF_NAME}\"")) + "\n"));
        return map.Add("steps", steps);
    }

    static string ArtifactName(GitHubActionsAttribute a, CiJob job) => $"{a.Name}-{job.Id}-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}";

    /// <summary>
    /// The folder upload-artifact makes the artifact's root: a single directory itself, a single file's folder,
    /// or the deepest folder common to several paths. Downloading there puts every file back at its path.
    /// </summary>
    internal static string UploadRoot(IReadOnlyList<string> paths)
    {
        if (paths.Count == 1)
        {
            var only = paths[0];
            if (only.EndsWith('/'))
                return only.TrimEnd('/');
            var slash = only.LastIndexOf('/');
            return slash < 0 ? "." : only[..slash];
        }
        var split = paths.Select(p => p.TrimEnd('/').Split('/')).ToList();
        var common = new List<string>();
        for (var i = 0; split.All(s => s.Length > i) && split.All(s => s[i] == split[0][i]); i++)
            common.Add(split[0][i]);
        return common.Count == 0 ? "." : string.Join('/', common);
    }
}
