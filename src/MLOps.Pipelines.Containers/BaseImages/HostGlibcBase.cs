using System.Text;
using MLOps.Pipelines.Containers.Layers;
using MLOps.Pipelines.Containers.Oci;

namespace MLOps.Pipelines.Containers.BaseImages;

/// <summary>
/// Makes a small glibc base image from this host, for a self-contained .NET server where no registry with base images
/// is reachable: the shared libraries that the server's ELF files need (found with <c>ldd</c>), <c>/etc/passwd</c>
/// and <c>/etc/group</c> with root and one non-root user, and a world-writable <c>/tmp</c>. One layer, written like
/// every other (sorted Ustar, fixed times), so the same host libraries give the same base digest.
/// </summary>
public static class HostGlibcBase
{
    public const int UserId = 1654;
    public const string UserName = "app";

    /// <summary>
    /// Writes the base as an OCI layout at <paramref name="layoutDirectory"/> for the ELF files found in
    /// <paramref name="publishedDirectories"/> (a self-contained publish; libraries it ships itself are not copied).
    /// </summary>
    public static BuiltImage Create(IEnumerable<string> publishedDirectories, string layoutDirectory, string? dockerArchive = null)
    {
        var files = publishedDirectories.SelectMany(d => Directory.Exists(d)
            ? Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)
            : throw new DirectoryNotFoundException($"{d} does not exist: publish the server first.")).ToList();
        var elf = files.Where(f => new FileInfo(f).Length > 4 && SharedLibraryResolver.IsElf(f)).ToList();
        if (elf.Count == 0) throw new InvalidDataException("No ELF file in the published folders: publish the server self-contained for linux-x64 first.");
        var provided = files.Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var dlopened = DlopenedLibraries(provided);
        var libraries = SharedLibraryResolver.Resolve([.. elf, .. dlopened], provided).Concat(dlopened)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var layer = new LayerContent($"host glibc base: {string.Join(' ', libraries.Select(Path.GetFileName))}");
        foreach (var library in libraries)
            layer.AddFile(Path.GetFullPath(library), library.TrimStart('/'), executable: true);
        layer.AddBytes(Encoding.ASCII.GetBytes($"root:x:0:0:root:/root:/sbin/nologin\n{UserName}:x:{UserId}:{UserId}:{UserName}:/home/{UserName}:/sbin/nologin\n"), "etc/passwd");
        layer.AddBytes(Encoding.ASCII.GetBytes($"root:x:0:\n{UserName}:x:{UserId}:\n"), "etc/group");
        layer.AddDirectoryEntry("tmp", mode: (UnixFileMode)0b1_111_111_111);
        layer.AddDirectoryEntry($"home/{UserName}", UserId, UserId);

        using var scratch = SourceImage.Scratch();
        return ImageAssembler.Build(scratch, [layer], new ImageSettings
        {
            User = $"{UserId}:{UserId}",
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" },
        }, layoutDirectory, dockerArchive, ["mlops-glibc-base:host"]);
    }

    /// <summary>
    /// Libraries the publish loads with dlopen, which ldd cannot see: .NET's OpenSSL shim opens the host's libssl (and
    /// through it libcrypto) on the first hash or TLS call — the server hashes its model at start — so a base without
    /// them stops the server with "No usable version of libssl was found".
    /// </summary>
    static IReadOnlyList<string> DlopenedLibraries(IReadOnlySet<string> provided)
    {
        if (!provided.Contains("libSystem.Security.Cryptography.Native.OpenSsl.so")) return [];
        string[] directories = ["/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib"];
        foreach (var name in new[] { "libssl.so.3", "libssl.so.1.1" })
        {
            if (directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists) is { } found) return [found];
        }
        throw new InvalidOperationException("the server needs OpenSSL (libssl.so.3 or libssl.so.1.1) and this host has none in /usr/lib or /lib; install libssl3 or pass --base-image");
    }
}
