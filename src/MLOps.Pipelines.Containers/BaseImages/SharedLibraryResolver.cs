using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MLOps.Pipelines.Containers.BaseImages;

/// <summary>
/// Finds the host's shared libraries that ELF files need, by asking <c>ldd</c> (the dynamic loader itself), never by a
/// list of hard-coded paths: one absolute path per library as the loader resolves it, the loader included.
/// </summary>
public static partial class SharedLibraryResolver
{
    /// <summary>True when <paramref name="path"/> starts with the ELF magic number.</summary>
    public static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']);
    }

    /// <param name="elfFiles">Executables and libraries to run in the image.</param>
    /// <param name="providedNames">File names the image brings itself (e.g. the app's own native libraries): not looked for on the host.</param>
    public static IReadOnlyList<string> Resolve(IEnumerable<string> elfFiles, IReadOnlySet<string> providedNames)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in elfFiles)
        {
            var (exit, output) = Run("ldd", file);
            if (output.Contains("not a dynamic executable", StringComparison.Ordinal) || output.Contains("statically linked", StringComparison.Ordinal)) continue;
            if (exit != 0) throw new InvalidOperationException($"ldd {file} failed (exit {exit}): {output.Trim()}");
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var resolved = Resolved().Match(line);
                if (resolved.Success) { found.Add(resolved.Groups["path"].Value); continue; }
                var missing = Missing().Match(line);
                if (missing.Success)
                {
                    if (providedNames.Contains(missing.Groups["name"].Value)) continue;
                    throw new InvalidOperationException($"{file} needs {missing.Groups["name"].Value}, which this host does not have; install it or build the base elsewhere.");
                }
                var loader = Loader().Match(line);
                if (loader.Success) found.Add(loader.Groups["path"].Value);
            }
        }
        return found.ToList();
    }

    static (int Exit, string Output) Run(string program, string argument)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(argument);
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [GeneratedRegex(@"^\S+ => (?<path>/\S+) \(0x[0-9a-f]+\)$")]
    private static partial Regex Resolved();

    [GeneratedRegex(@"^(?<name>\S+) => not found$")]
    private static partial Regex Missing();

    [GeneratedRegex(@"^(?<path>/\S+) \(0x[0-9a-f]+\)$")]
    private static partial Regex Loader();
}
