using System.Reflection;
using MLOps.Pipelines.CI;
using MLOps.Pipelines.Internal.Graph;
using MLOps.Pipelines.Internal.Incremental;
using MLOps.Pipelines.Internal.Parameters;

namespace MLOps.Pipelines.Internal.CI;

/// <summary>
/// The CI files a build's <c>[GitHubActions]</c>/<c>[GitLab]</c> attributes generate, from its real target graph and
/// parameters; written by <c>--generate-ci</c>, compared with the committed files by <c>--check-ci</c>.
/// </summary>
internal static class CiConfiguration
{
    public static IReadOnlyList<KeyValuePair<string, string>> Generate(Type buildType, TargetGraph graph, IReadOnlyList<ResolvedParameter> parameters, AbsolutePath root)
    {
        var gitHub = buildType.GetCustomAttributes<GitHubActionsAttribute>(inherit: true).ToList();
        var gitLab = buildType.GetCustomAttributes<GitLabAttribute>(inherit: true).ToList();
        return CiFiles.Generate(gitHub, gitLab, Describe(buildType, graph, parameters, root));
    }

    /// <summary>Cron lines with their next occurrences, for the person generating the files.</summary>
    public static IEnumerable<string> Schedules(Type buildType, DateTimeOffset now) =>
        buildType.GetCustomAttributes<CiAttribute>(inherit: true)
            .Where(a => !string.IsNullOrEmpty(a.OnCronSchedule))
            .Select(a => CronSchedule.Describe(a.OnCronSchedule!, now, 3));

    /// <summary>Writes the files; returns their relative paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<KeyValuePair<string, string>> files, AbsolutePath root)
    {
        foreach (var (path, content) in files)
        {
            var target = root / path;
            Directory.CreateDirectory(target.Parent!);
            AtomicFile.WriteAllText(target, content);
        }
        return files.Select(f => f.Key).ToList();
    }

    public static CiSyncResult Check(IReadOnlyList<KeyValuePair<string, string>> expected, AbsolutePath root)
    {
        var committed = new Dictionary<string, string>(StringComparer.Ordinal);
        var workflows = root / ".github" / "workflows";
        if (workflows.DirectoryExists())
            foreach (var file in Directory.EnumerateFiles(workflows, "*.yml"))
                committed[AbsolutePath.Create(file).RelativeTo(root)] = File.ReadAllText(file);
        if ((root / GitLabCiGenerator.RelativePath).FileExists())
            committed[GitLabCiGenerator.RelativePath] = File.ReadAllText(root / GitLabCiGenerator.RelativePath);
        return CiSyncCheck.Compare(expected, committed);
    }

    static CiBuild Describe(Type buildType, TargetGraph graph, IReadOnlyList<ResolvedParameter> parameters, AbsolutePath root)
    {
        var build = new CiBuild(
            graph.Targets.Select(t => new CiTarget(t.Name, t.Definition.DescriptionText ?? "", t.Dependencies.Select(d => d.Name).ToList())
            {
                ArtifactPaths = t.Definition.OutputPaths.Where(p => p.IsUnder(root)).Select(p => ArtifactPath(p, root)).ToList(),
                Family = t.Family,
                AlwaysRuns = t.Definition.OutputPaths.Count == 0,
                OrderedAfter = t.OrderedAfter.Select(o => o.Name).ToList(),
            }).ToList(),
            parameters.Select(p => Parameter(p.Member)).ToList())
        {
            Environment = buildType.GetCustomAttributes<CiEnvironmentVariableAttribute>(inherit: true)
                .Select(a => System.Text.RegularExpressions.Regex.IsMatch(a.Name, "^[A-Za-z_][A-Za-z0-9_]*$")
                    ? new KeyValuePair<string, string>(a.Name, a.Value)
                    : throw new CiConfigurationException($"[CiEnvironmentVariable(\"{a.Name}\", …)]: '{a.Name}' is not a variable name; use letters, digits and '_', not starting with a digit."))
                .ToList(),
            RemoteCacheUrlEnvironmentVariable = CacheOptions.RemoteUrlVariable,
            RemoteCachePushEnvironmentVariable = CacheOptions.RemotePushVariable,
            RemoteCacheTokenEnvironmentVariable = CacheOptions.RemoteTokenVariable,
        };
        return build with { Variables = Variables(buildType.GetCustomAttributes<CiVariableAttribute>(inherit: true), build) };
    }

    /// <summary>
    /// The <c>[CiVariable]</c> declarations as (environment name, CI variable): a parameter is exported under its environment
    /// name; a secret parameter, a bad name, or a variable the build already sets is refused.
    /// </summary>
    internal static IReadOnlyList<CiVariable> Variables(IEnumerable<CiVariableAttribute> attributes, CiBuild build)
    {
        var variables = new List<CiVariable>();
        foreach (var a in attributes)
        {
            var where = $"[CiVariable(\"{a.Parameter}\", \"{a.Variable}\")]";
            var parameter = build.FindParameter(a.Parameter);
            if (parameter is { IsSecret: true })
                throw new CiConfigurationException($"{where}: '{a.Parameter}' is a secret; a variable's value is visible to every job's log. Import it with ImportSecrets on the pipeline's attribute instead.");
            var name = parameter?.EnvironmentName ?? a.Parameter;
            if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z_][A-Za-z0-9_]*$"))
                throw new CiConfigurationException($"{where}: '{a.Parameter}' is neither a parameter of the build nor a variable name; use a parameter's name or letters, digits and '_', not starting with a digit.");
            if (!System.Text.RegularExpressions.Regex.IsMatch(a.Variable, "^[A-Za-z_][A-Za-z0-9_]*$"))
                throw new CiConfigurationException($"{where}: '{a.Variable}' is not a CI/CD variable name; use letters, digits and '_', not starting with a digit.");
            if (variables.Any(v => v.EnvironmentName == name) || build.Environment.Any(e => e.Key == name))
                throw new CiConfigurationException($"{where}: {name} is already set for every job (another [CiVariable] or [CiEnvironmentVariable]); declare it once.");
            variables.Add(new CiVariable(name, a.Variable));
        }
        return variables;
    }

    /// <summary>Directories end with '/' (the artifact download needs the upload's root); a path without an extension that does not exist yet is taken as a directory.</summary>
    static string ArtifactPath(AbsolutePath path, AbsolutePath root)
    {
        var relative = path.RelativeTo(root);
        var isDirectory = path.DirectoryExists() || (!path.FileExists() && string.IsNullOrEmpty(path.Extension));
        return isDirectory ? relative + "/" : relative;
    }

    static CiParameter Parameter(ParameterMember member)
    {
        var type = Nullable.GetUnderlyingType(member.ValueType) ?? member.ValueType;
        var kind = type == typeof(bool) ? CiParameterKind.Bool
            : type.IsEnum ? CiParameterKind.Enum
            : type.IsArray ? CiParameterKind.Array
            : type.IsPrimitive || type == typeof(decimal) ? CiParameterKind.Number
            : CiParameterKind.String;
        return new CiParameter(member.Name, member.CliName, member.EnvironmentName, kind, null, member.Description ?? "", member.IsSecret)
        {
            EnumValues = type.IsEnum ? Enum.GetNames(type) : [],
        };
    }
}
