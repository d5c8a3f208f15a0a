using System.Diagnostics;
using System.Reflection.PortableExecutable;

namespace MLOps.Pipelines.Containers.Publishing;

/// <summary>
/// Publishes the model server self-contained for linux-x64 (no trimming by default: full trimming crashes Kestrel,
/// <c>TrimMode=partial</c> is the most that works) and removes the Windows native libraries that the ONNX Runtime
/// package copies into every publish (17 MB no Linux process can load).
/// </summary>
public static class ServerPublisher
{
    /// <param name="Removed">What was deleted after publishing: Windows native libraries and the optional tracing provider.</param>
    public sealed record Result(string Directory, long Bytes, IReadOnlyList<string> Removed);

    const string OptionalTracingProvider = "libcoreclrtraceptprovider.so";

    public static async Task<Result> PublishAsync(string project, string outputDirectory, bool partialTrimming = false,
        IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellationToken = default)
    {
        var projectPath = Path.GetFullPath(project);
        if (!File.Exists(projectPath)) throw new FileNotFoundException($"{projectPath} does not exist: name the server's .csproj.", projectPath);
        var output = Path.GetFullPath(outputDirectory);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "publish", projectPath, "-c", "Release", "-r", "linux-x64", "--self-contained", "true", "-o", output, "-nologo", "-v", "quiet",
                     "-p:InvariantGlobalization=true", "-p:UseAppHost=true", "-p:GenerateDocumentationFile=false", "-p:DebugType=none" })
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add(partialTrimming ? "-p:PublishTrimmed=true" : "-p:PublishTrimmed=false");
        if (partialTrimming)
        {
            start.ArgumentList.Add("-p:TrimMode=partial");
            // partial trimming keeps every assembly not marked trimmable whole; its analysis warnings would fail a
            // warnings-as-errors build without saying anything about this publish
            start.ArgumentList.Add("-p:SuppressTrimAnalysisWarnings=true");
        }
        foreach (var (key, value) in properties ?? new Dictionary<string, string>()) start.ArgumentList.Add($"-p:{key}={value}");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            var log = (await stdout + await stderr).Trim().Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(3);
            throw new InvalidOperationException($"dotnet publish {Path.GetFileName(projectPath)} failed (exit {process.ExitCode}): {string.Join(" | ", log)}");
        }

        var removed = RemoveWindowsNativeLibraries(output).ToList();
        // The runtime's LTTng tracing provider: loaded only where liblttng-ust is installed, which no image of ours has.
        foreach (var optional in Directory.EnumerateFiles(output, OptionalTracingProvider, SearchOption.AllDirectories).ToList())
        {
            File.Delete(optional);
            removed.Add(Path.GetRelativePath(output, optional));
        }
        var bytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new Result(output, bytes, removed);
    }

    /// <summary>Deletes every native (non-.NET) PE file — a Windows DLL — under <paramref name="directory"/>; returns their relative paths.</summary>
    public static IReadOnlyList<string> RemoveWindowsNativeLibraries(string directory)
    {
        var removed = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
        {
            bool native;
            using (var stream = File.OpenRead(file))
            using (var pe = new PEReader(stream))
            {
                try { native = pe.PEHeaders.CorHeader is null; }
                catch (BadImageFormatException) { native = false; }
            }
            if (!native) continue;
            File.Delete(file);
            removed.Add(Path.GetRelativePath(directory, file));
        }
        foreach (var dir in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
            if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        return removed;
    }
}
