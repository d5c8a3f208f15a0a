using System.IO.Hashing;
using System.Text;
using System.Xml.Linq;

namespace MLOps.Pipelines.Containers.Publishing;

/// <summary>
/// The content key of a server publish: every file of the project and of the projects it references (transitively,
/// <c>bin/</c>, <c>obj/</c> and hidden folders left out), the MSBuild and SDK files above them
/// (<c>Directory.Build.*</c>, <c>Directory.Packages.props</c>, <c>global.json</c>, <c>NuGet.config</c>), and the
/// publish settings. Paths enter relative to the project, so two clones of one commit get one key; timestamps never
/// enter. A change to any source the server is built from gives a new key, hence a new publish.
/// </summary>
public static class ServerSourceKey
{
    static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    /// <summary>The key (32 hex digits, XXH3-128) of <paramref name="project"/> published with <paramref name="settings"/>.</summary>
    public static string Of(string project, IEnumerable<string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var projectPath = Path.GetFullPath(project);
        if (!File.Exists(projectPath)) throw new FileNotFoundException($"{projectPath} does not exist: name the server's .csproj.", projectPath);
        var anchor = Path.GetDirectoryName(projectPath)!;

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal); // relative name → full path
        foreach (var directory in ProjectDirectories(projectPath))
        {
            foreach (var file in SourceFiles(directory)) files[Relative(anchor, file)] = file;
            for (var up = new DirectoryInfo(directory); up is not null; up = up.Parent)
                foreach (var name in BuildFiles)
                    if (File.Exists(Path.Combine(up.FullName, name))) files[Relative(anchor, Path.Combine(up.FullName, name))] = Path.Combine(up.FullName, name);
        }

        var hash = new XxHash128();
        var buffer = new byte[1 << 16];
        foreach (var (name, path) in files)
        {
            using var stream = File.OpenRead(path);
            hash.Append(Encoding.UTF8.GetBytes($"{name}\0{stream.Length}\0"));
            int read;
            while ((read = stream.Read(buffer)) > 0) hash.Append(buffer.AsSpan(0, read));
        }
        foreach (var setting in settings) hash.Append(Encoding.UTF8.GetBytes($"setting\0{setting}\0"));
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    /// <summary>The folders of the project and of every project it references, transitively.</summary>
    static IReadOnlyList<string> ProjectDirectories(string projectPath)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([projectPath]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current) || !File.Exists(current)) continue;
            var folder = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(current).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
                if (reference.Attribute("Include")?.Value is { Length: > 0 } include)
                    pending.Push(Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar))));
        }
        return seen.Where(File.Exists).Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal).ToList();
    }

    static IEnumerable<string> SourceFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory)) yield return file;
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (name is "bin" or "obj" || name.StartsWith('.')) continue;
            foreach (var file in SourceFiles(child)) yield return file;
        }
    }

    static string Relative(string anchor, string path) => Path.GetRelativePath(anchor, path).Replace('\\', '/');
}
