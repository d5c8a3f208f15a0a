using System.Text;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.CI.Schedules;
using MLOps.Pipelines.Internal.CI.Yaml;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>
/// Writes <c>.gitlab-ci.yml</c>: every <see cref="GitLabAttribute"/> adds its jobs to the one file, each job carrying
/// its pipeline's <c>rules</c>. Schedules cannot be declared in YAML: a scheduled pipeline's jobs run when
/// <c>$CI_PIPELINE_SOURCE == "schedule"</c> and the schedule (see <see cref="Schedules"/>) sets PIPELINES_SCHEDULE.
/// </summary>
internal static class GitLabCiGenerator
{
    public const string RelativePath = ".gitlab-ci.yml";

    /// <summary>The variable a pipeline schedule sets so that only its own pipeline's jobs run.</summary>
    public const string ScheduleVariable = "PIPELINES_SCHEDULE";

    public static string Generate(IReadOnlyList<GitLabAttribute> attributes, CiBuild build)
    {
        if (attributes.Count == 0)
            throw new CiConfigurationException("No [GitLab] attribute on the build class; there is no .gitlab-ci.yml to generate.");
        CheckNames(attributes);

        var pipelines = attributes.Select(a =>
        {
            var where = Where(a);
            CiAttributeCheck.Triggers(a, where);
            CiAttributeCheck.VariableNameOf(a.RemoteCacheUrlVariable, where, "RemoteCacheUrlVariable");
            CiAttributeCheck.VariableNameOf(a.RemoteCacheTokenSecret, where, "RemoteCacheTokenSecret");
            return (Attribute: a,
                Secrets: CiAttributeCheck.Secrets(a, build, where),
                Inputs: CiAttributeCheck.DispatchInputs(a, build, where),
                Jobs: CiJobPlan.Create(a, build, where));
        }).ToList();

        var depth = pipelines.SelectMany(p => p.Jobs).Max(j => j.Depth);
        // The commit-back job comes after every other job.
        if (attributes.Any(a => a.CommitBackPaths.Length > 0))
            depth++;
        var root = new YamlMap().Add("stages", Enumerable.Range(1, depth + 1).Select(StageName));

        var variables = new YamlMap();
        foreach (var (name, value) in build.Environment)
            variables.Add(name, value);
        // Configuration from project variables ([CiVariable]): empty when unset, which the engine reads as not given.
        foreach (var v in build.Variables.Where(v => v.EnvironmentName != v.VariableName))
            variables.Add(v.EnvironmentName, $"${v.VariableName}");
        variables.Add("DOTNET_NOLOGO", "true")
            .Add("DOTNET_CLI_TELEMETRY_OPTOUT", "true");
        // Prefilled variables of the "Run pipeline" form: GitLab's manual inputs. They apply to every pipeline of
        // the file, so each holds the parameter's default.
        foreach (var p in pipelines.SelectMany(p => p.Inputs).DistinctBy(p => p.EnvironmentName))
            variables.Add(p.EnvironmentName, ManualInput(p));
        foreach (var name in attributes.Select(a => a.InstanceInput).OfType<string>().Select(InstanceVariable).Distinct())
            variables.Add(name, new YamlMap().Add("value", "").Add("description", "Run only the jobs of this family key (e.g. one pipeline); empty runs every one"));
        root.Add("variables", variables);

        foreach (var (attribute, _, _, jobs) in pipelines)
        {
            var hasInputs = pipelines.First(p => p.Attribute == attribute).Inputs.Count > 0;
            foreach (var job in jobs)
                root.Add(JobName(attribute, job.Id), Job(attribute, build, job, Rules(attribute, hasInputs, CiJobScript.InstanceKey(job))));
            if (attribute.CommitBackPaths.Length > 0)
                root.Add(JobName(attribute, CiJobScript.CommitBackJobId), CommitBackJob(attribute, build, jobs, Rules(attribute, hasInputs, null), depth));
        }

        var header = new List<string> { CiFiles.Banner };
        var expected = pipelines.SelectMany(p => p.Secrets.Select(s => s.SecretName))
            .Concat(pipelines.SelectMany(p => new[] { p.Attribute.RemoteCacheUrlVariable, p.Attribute.RemoteCacheTokenSecret }).OfType<string>())
            .Concat(pipelines.Where(p => p.Attribute.CommitBackPaths.Length > 0).Select(p => p.Attribute.CommitBackTokenVariable))
            .Concat(build.Variables.Select(v => v.VariableName))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (expected.Count > 0)
            header.Add($"Expects these CI/CD variables (Settings > CI/CD > Variables; mask secrets): {string.Join(", ", expected)}.");
        foreach (var schedule in Schedules(attributes))
            header.Add($"Schedule \"{schedule.Description}\" ({schedule.Cron} {schedule.CronTimezone}) is created by the GitLab API, not by this file.");
        return YamlText.Write(root, header);
    }

    /// <summary>The pipeline schedules the scheduled attributes need; created or updated through GitLab's API.</summary>
    public static IReadOnlyList<GitLabPipelineSchedule> Schedules(IReadOnlyList<GitLabAttribute> attributes) =>
        attributes.Where(a => a.OnCronSchedule is not null)
            .Select(a => new GitLabPipelineSchedule(
                $"{a.Name} (MLOps.Pipelines)", a.ScheduleRef, a.OnCronSchedule!, a.CronTimezone,
                new SortedDictionary<string, string>(StringComparer.Ordinal) { [ScheduleVariable] = a.Name! }))
            .ToList();

    static void CheckNames(IReadOnlyList<GitLabAttribute> attributes)
    {
        foreach (var a in attributes)
        {
            if (a.Name is not null && !System.Text.RegularExpressions.Regex.IsMatch(a.Name, "^[A-Za-z][A-Za-z0-9_-]*$"))
                throw new CiConfigurationException($"{Where(a)}: the name prefixes job names; use letters, digits, '-' and '_'.");
            if (a.OnCronSchedule is not null && a.Name is null)
                throw new CiConfigurationException("[GitLab] with OnCronSchedule needs a name: the schedule sets PIPELINES_SCHEDULE=<name> so that only this pipeline's jobs run. Write [GitLab(\"nightly-retrain\", OnCronSchedule = ...)].");
        }
        if (attributes.Count(a => a.Name is null) > 1)
            throw new CiConfigurationException("More than one [GitLab] attribute without a name; their jobs would have the same names. Name all but one, e.g. [GitLab(\"nightly\")].");
        var duplicate = attributes.Where(a => a.Name is not null).GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CiConfigurationException($"Two [GitLab(\"{duplicate.Key}\")] attributes; pipeline names must be unique.");
    }

    static string Where(GitLabAttribute a) => a.Name is null ? "[GitLab]" : $"[GitLab(\"{a.Name}\")]";

    static string StageName(int depth) => $"stage-{depth}";

    static string JobName(GitLabAttribute a, string jobId) => a.Name is null ? jobId : $"{a.Name}:{jobId}";

    static YamlMap ManualInput(CiParameter p)
    {
        var input = new YamlMap();
        switch (p.Kind)
        {
            case CiParameterKind.Bool:
                input.Add("value", (p.DefaultValue ?? "false").ToLowerInvariant());
                input.Add("options", ["true", "false"]);
                break;
            case CiParameterKind.Enum:
                input.Add("value", p.DefaultValue ?? p.EnumValues[0]);
                input.Add("options", p.EnumValues);
                break;
            default:
                input.Add("value", p.DefaultValue ?? "");
                break;
        }
        return input.Add("description", string.IsNullOrWhiteSpace(p.Description) ? p.MemberName : p.Description);
    }

    static string InstanceVariable(string input) => input.ToUpperInvariant().Replace('-', '_');

    static YamlSequence Rules(GitLabAttribute a, bool hasInputs, string? instanceKey)
    {
        var rules = new YamlSequence();
        // A run limited to one key leaves out the jobs of every other key (their chains as a whole).
        if (a.InstanceInput is not null && instanceKey is not null)
        {
            var variable = InstanceVariable(a.InstanceInput);
            rules.Add(new YamlMap().Add("if", $"${variable} && ${variable} != \"{instanceKey}\"").Add("when", "never"));
        }
        void Add(string condition, string[] changes)
        {
            var rule = new YamlMap().Add("if", condition);
            rules.Add(rule.AddIfAny("changes", changes));
        }
        if (a.On.Contains(CiTrigger.Push))
        {
            const string push = "$CI_PIPELINE_SOURCE == \"push\"";
            if (a.OnPushBranches.Length == 0 && a.OnPushTags.Length == 0)
                Add(push, a.OnPushPaths);
            if (a.OnPushBranches.Length > 0)
                Add($"{push} && $CI_COMMIT_BRANCH =~ {GlobRegex(a.OnPushBranches)}", a.OnPushPaths);
            // A tag pipeline compares against nothing, so `changes` would always be true: leave it off.
            if (a.OnPushTags.Length > 0)
                Add($"{push} && $CI_COMMIT_TAG =~ {GlobRegex(a.OnPushTags)}", []);
        }
        if (a.On.Contains(CiTrigger.PullRequest))
        {
            var condition = "$CI_PIPELINE_SOURCE == \"merge_request_event\"";
            if (a.OnPullRequestBranches.Length > 0)
                condition += $" && $CI_MERGE_REQUEST_TARGET_BRANCH_NAME =~ {GlobRegex(a.OnPullRequestBranches)}";
            Add(condition, a.OnPullRequestPaths);
        }
        if (a.On.Contains(CiTrigger.WorkflowDispatch) || hasInputs)
            Add("$CI_PIPELINE_SOURCE == \"web\"", []);
        if (a.OnCronSchedule is not null)
            Add($"$CI_PIPELINE_SOURCE == \"schedule\" && ${ScheduleVariable} == \"{a.Name}\"", []);
        return rules;
    }

    /// <summary>Branch/tag globs as one RE2 pattern literal: <c>*</c> within a segment, <c>**</c> across segments.</summary>
    internal static string GlobRegex(IEnumerable<string> globs)
    {
        var alternatives = globs.Select(glob =>
        {
            var regex = new StringBuilder();
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
                {
                    regex.Append(".*");
                    i++;
                }
                else if (c == '*')
                    regex.Append("[^\\/]*");
                else if (c == '?')
                    regex.Append("[^\\/]");
                else if (c == '/')
                    regex.Append("\\/");
                else if (@"\.+()[]{}^$|".Contains(c, StringComparison.Ordinal))
                    regex.Append('\\').Append(c);
                else
                    regex.Append(c);
            }
            return regex.ToString();
        });
        return $"/^(?:{string.Join('|', alternatives)})$/";
    }

    static YamlMap Job(GitLabAttribute a, CiBuild build, CiJob job, YamlSequence rules)
    {
        var map = new YamlMap()
            .Add("stage", StageName(job.Depth + 1))
            .Add("image", a.Image)
            // Every upstream job, not only the direct ones: `needs` is also what hands artifacts down.
            .Add("needs", job.Ancestors.Select(id => JobName(a, id)))
            .Add("rules", rules);

        var variables = new YamlMap();
        if (a.RemoteCacheUrlVariable is not null && a.RemoteCacheUrlVariable != build.RemoteCacheUrlEnvironmentVariable)
            variables.Add(build.RemoteCacheUrlEnvironmentVariable, $"${a.RemoteCacheUrlVariable}");
        if (a.RemoteCacheTokenSecret is not null && a.RemoteCacheTokenSecret != build.RemoteCacheTokenEnvironmentVariable)
            variables.Add(build.RemoteCacheTokenEnvironmentVariable, $"${a.RemoteCacheTokenSecret}");
        if (a.RemoteCachePush)
            variables.Add(build.RemoteCachePushEnvironmentVariable, "true");
        map.AddIfAny("variables", variables);

        if (a.TimeoutMinutes > 0)
            map.Add("timeout", $"{a.TimeoutMinutes}m");
        if (job.DeploysToEnvironment)
            map.Add("environment", a.Environment!);
        if (a.ConcurrencyGroup is not null)
            map.Add("resource_group", a.ConcurrencyGroup);
        if (a.ConcurrencyCancelInProgress)
            map.Add("interruptible", true);

        map.Add("cache", Caches(build, job.Id));
        map.Add("script", [CiJobScript.Build(a, build, job)]);
        var artifacts = CiJobScript.ArtifactPaths(a, build, job);
        if (a.PublishArtifacts && artifacts.Count > 0)
            map.Add("artifacts", new YamlMap()
                .Add("name", $"{(a.Name is null ? "" : a.Name + "-")}{job.Id}-$CI_PIPELINE_ID-$CI_JOB_ID")
                .Add("paths", artifacts));
        return map;
    }

    static YamlSequence Caches(CiBuild build, string jobId) => new YamlSequence()
        // Keyed per target, shared by every pipeline running it; the fingerprints decide what is reused.
        .Add(new YamlMap()
            .Add("key", new YamlMap().Add("files", build.GitLabCacheKeyFiles).Add("prefix", jobId))
            .Add("paths", [build.ContentStorePath.TrimEnd('/') + "/"]))
        // The compiled build program, one folder per source hash: a job compiles only when no job compiled these sources.
        .Add(new YamlMap()
            .Add("key", "build-program")
            .Add("paths", [build.BuildProgramPath.TrimEnd('/') + "/"]));

    /// <summary>After every job: merge their states, commit the commit-back paths and push with the project token.</summary>
    static YamlMap CommitBackJob(GitLabAttribute a, CiBuild build, IReadOnlyList<CiJob> jobs, YamlSequence rules, int depth)
    {
        var needs = new YamlSequence();
        // Optional: a run limited to one key has no jobs of the others.
        foreach (var job in jobs)
            needs.Add(new YamlMap().Add("job", JobName(a, job.Id)).Add("optional", true));
        var map = new YamlMap()
            .Add("stage", StageName(depth + 1))
            .Add("image", a.Image)
            .Add("needs", needs)
            .Add("rules", rules);
        if (a.TimeoutMinutes > 0)
            map.Add("timeout", $"{a.TimeoutMinutes}m");
        if (a.ConcurrencyGroup is not null)
            map.Add("resource_group", a.ConcurrencyGroup);
        map.Add("cache", new YamlSequence().Add(new YamlMap()
            .Add("key", "build-program")
            .Add("paths", [build.BuildProgramPath.TrimEnd('/') + "/"])
            .Add("policy", "pull")));
        var push = $"git push \"https://oauth2:${{{a.CommitBackTokenVariable}}}@${{CI_SERVER_HOST}}/${{CI_PROJECT_PATH}}.git\" \"HEAD:${{CI_COMMIT_REF_NAME}}\"";
        return map.Add("script", CiJobScript.CommitBack(a, build, push));
    }
}
