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
    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "mlops-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        var source = SourceRoot;
        CopyDirectory(Path.Combine(source, "src", "MLOps.Pipelines"), Path.Combine(Root, "src", "MLOps.Pipelines"));
        CopyDirectory(Path.Combine(source, "tests", "MLOps.Pipelines.EndToEnd.Tests", "TestBuild"), Path.Combine(Root, "build"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "build.sh" })
            File.Copy(Path.Combine(source, file), Path.Combine(Root, file));
        Directory.CreateDirectory(Path.Combine(Root, ".nuke"));
        File.WriteAllText(Path.Combine(Root, ".nuke", "parameters.json"), "{}");
    }

    public string Root { get; }

    /// <summary>The checkout this test assembly was built from.</summary>
    public static string SourceRoot { get; } = FindSourceRoot();

    public async Task<BufferedCommandResult> BuildAsync(string arguments, CancellationToken cancellationToken = default) =>
        await Cli.Wrap(Path.Combine(Root, "build.sh"))
            .WithArguments(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .WithWorkingDirectory(Root)
            .WithEnvironmentVariables(e => e.Set("MLOPS_PIPELINES_ROOT", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);

    /// <summary>Starts <c>./build.sh</c> without waiting, for tests that signal the process.</summary>
    public Process Start(string arguments, StringBuilder output)
    {
        var start = new ProcessStartInfo(Path.Combine(Root, "build.sh"), arguments)
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

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string FindSourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "MLOps.Pipelines.sln"))) return directory.FullName;
        throw new InvalidOperationException("The test assembly is not inside a checkout of MLOps.Pipelines.");
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}
