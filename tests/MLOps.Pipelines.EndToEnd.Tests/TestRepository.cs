using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace MLOps.Pipelines.EndToEnd.Tests;

/// <summary>
/// A temporary repository holding the engine's sources, the bootstrapper and the small test build, so
/// <c>./build.sh</c> can be run as a user would.
/// </summary>
public sealed class TestRepository : IDisposable
{
    readonly TemporaryDirectory _root = new("mlops-e2e-");

    public TestRepository()
    {
        var source = SourceRoot;
        DirectoryTree.Copy(Path.Combine(source, "src", "MLOps.Pipelines"), Path.Combine(Root, "src", "MLOps.Pipelines"), DirectoryTree.NoBuildOutputs);
        DirectoryTree.Copy(Path.Combine(source, "tests", "MLOps.Pipelines.EndToEnd.Tests", "TestBuild"), Path.Combine(Root, "build"), DirectoryTree.NoBuildOutputs);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "build.sh" })
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        WriteFile(".nuke/parameters.json", "{}");
    }

    TestRepository(TestRepository original)
    {
        DirectoryTree.Copy(original.Root, Root, DirectoryTree.NoBuildOutputs);
    }

    public string Root => _root.Path;

    /// <summary>The repository's <c>pipelines.lock</c>, or null when there is none.</summary>
    public string? LockFileText => File.Exists(FullPath("pipelines.lock")) ? File.ReadAllText(FullPath("pipelines.lock")) : null;

    /// <summary>
    /// A copy of this repository, compiled program included, that build.sh does not recompile: every copied file
    /// and folder is dated an hour back and the compile stamp half an hour back, so only edits made after the copy
    /// count as changes. Saves a ~20 s compile per test that needs a fresh repository.
    /// </summary>
    public TestRepository Clone()
    {
        var clone = new TestRepository(this);
        var past = DateTime.UtcNow.AddHours(-1);
        foreach (var file in Directory.EnumerateFiles(clone.Root, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, past);
        foreach (var directory in Directory.EnumerateDirectories(clone.Root, "*", SearchOption.AllDirectories).Append(clone.Root))
            Directory.SetLastWriteTimeUtc(directory, past);
        var stamp = clone.FullPath(".nuke/temp/build.stamp");
        if (File.Exists(stamp)) File.SetLastWriteTimeUtc(stamp, past.AddMinutes(30));
        return clone;
    }

    /// <summary>A path inside the repository, from a '/'-separated relative path.</summary>
    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public void WriteFile(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FullPath(relative))!);
        File.WriteAllText(FullPath(relative), text);
    }

    public string ReadFile(string relative) => File.ReadAllText(FullPath(relative));

    /// <summary>Replaces text in a file of the repository, failing when the text is not there (so an edit cannot silently miss).</summary>
    public void Edit(string relative, string oldText, string newText)
    {
        var text = ReadFile(relative);
        text.ShouldContain(oldText, customMessage: $"{relative} no longer holds the text this test edits");
        File.WriteAllText(FullPath(relative), text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    /// <summary>The checkout this test assembly was built from.</summary>
    public static string SourceRoot { get; } = RepositoryRoot.Path;

    public Task<BufferedCommandResult> BuildAsync(string arguments, CancellationToken cancellationToken = default) =>
        BuildAsync(arguments, new Dictionary<string, string?>(), cancellationToken);

    public async Task<BufferedCommandResult> BuildAsync(string arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken = default) =>
        await Cli.Wrap(FullPath("build.sh"))
            .WithArguments(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .WithWorkingDirectory(Root)
            .WithEnvironmentVariables(e =>
            {
                e.Set("MLOPS_PIPELINES_ROOT", null).Set(CacheVariables.Url, null).Set(CacheVariables.Push, null);
                foreach (var (name, value) in environment) e.Set(name, value);
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);

    /// <summary>Starts <c>./build.sh</c> without waiting, for tests that signal the process.</summary>
    public Process Start(string arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo(FullPath("build.sh"), arguments)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public void Dispose() => _root.Dispose();

    /// <summary>The remote cache's environment variables (CacheOptions), cleared so a developer's setting cannot leak in.</summary>
    static class CacheVariables
    {
        public const string Url = "MLOPS_REMOTE_CACHE";
        public const string Push = "MLOPS_REMOTE_CACHE_PUSH";
    }
}
