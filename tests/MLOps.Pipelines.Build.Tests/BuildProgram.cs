using System.Text;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace MLOps.Pipelines.Build.Tests;

/// <summary>
/// The repository's compiled build program: <c>./build.sh --help</c> compiles build/ when a source changed (and only
/// then), and leaves the program at <c>.nuke/temp/build-bin/&lt;hash&gt;/_build.dll</c>; runs then start it directly
/// with <c>--root</c> pointing at a temporary repository.
/// </summary>
internal static partial class BuildProgram
{
    static readonly SemaphoreSlim CompileLock = new(1, 1);
    static string? s_dll;

    /// <summary>An empty repository for the build program to run on: <c>.nuke/</c> and copies of the named files of <c>data/</c>.</summary>
    public static TemporaryDirectory NewRepository(string prefix, params string[] dataFiles)
    {
        var repository = new TemporaryDirectory(prefix);
        repository.CreateDirectory(".nuke");
        foreach (var file in dataFiles)
            repository.CopyFile(RepositoryRoot.Data(file), Path.Combine("data", file));
        return repository;
    }

    public static async Task<string> DllAsync()
    {
        await CompileLock.WaitAsync();
        try
        {
            if (s_dll is not null) return s_dll;
            var result = await CliWrap.Cli.Wrap(Path.Combine(RepositoryRoot.Path, "build.sh"))
                .WithArguments(["--help"])
                .WithWorkingDirectory(RepositoryRoot.Path)
                .WithEnvironmentVariables(e => e.Set("MLOPS_PIPELINES_ROOT", null))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8);
            result.ExitCode.ShouldBe(0, $"./build.sh --help failed:\n{result.StandardOutput}\n{result.StandardError}");
            var hash = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, ".nuke", "temp", "build.stamp"))).Trim();
            var dll = Path.Combine(RepositoryRoot.Path, ".nuke", "temp", "build-bin", hash, "_build.dll");
            File.Exists(dll).ShouldBeTrue($"{dll} is missing after ./build.sh --help");
            return s_dll = dll;
        }
        finally
        {
            CompileLock.Release();
        }
    }

    /// <summary>Runs the build program on <paramref name="root"/>; output is stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string root, params string[] arguments)
    {
        var dll = await DllAsync();
        var output = new StringBuilder();
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([dll, .. arguments, "--root", root])
            .WithWorkingDirectory(root)
            .WithEnvironmentVariables(e => e.Set("MLOPS_PIPELINES_ROOT", null).Set("OMP_WAIT_POLICY", "PASSIVE"))
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(output))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(output))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync();
        return (result.ExitCode, output.ToString());
    }

    /// <summary>Each target's outcome as the summary table prints it ("  Train@Penguins      UpToDate     0.02 s").</summary>
    public static IReadOnlyDictionary<string, string> Outcomes(string output) =>
        SummaryRow().Matches(output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"^  ([A-Z][A-Za-z]+(?:@[A-Za-z0-9._-]+)?) +(Succeeded|UpToDate|Restored|Skipped|Failed|NotRun)\b", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();
}
