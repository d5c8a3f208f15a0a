using System.Runtime.InteropServices;

namespace MLOps.Pipelines.Containers.Publishing;

/// <summary>
/// Makes a folder whose files are hard links to another folder's (a copy where the file system cannot link): a view of
/// a shared server publish that costs no disk space and milliseconds to make, yet holds real files, so a CI artifact
/// upload or a copy of the work folder carries the content. Written beside the destination and renamed into place;
/// a server still running from the old folder keeps its files (their inodes live on until it exits).
/// </summary>
public static class HardLinkedDirectory
{
    /// <summary>Replaces <paramref name="destination"/> by links to every file under <paramref name="source"/>; returns how many files were copied instead of linked.</summary>
    public static int Create(string source, string destination)
    {
        var from = Path.GetFullPath(source);
        var to = Path.GetFullPath(destination);
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from} does not exist: nothing to link.");
        var staging = $"{to}.linking-{Guid.NewGuid():N}";
        var copied = 0;
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(Path.Combine(staging, Path.GetRelativePath(from, directory)));
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(staging, Path.GetRelativePath(from, file));
                if (OperatingSystem.IsWindows() || Link(file, target) != 0)
                {
                    File.Copy(file, target);
                    copied++;
                }
            }
            // Two makers of one view at once (a Rollback beside a Package): each moves aside what is there and retries.
            for (var attempt = 1; ; attempt++)
            {
                var old = $"{to}.old-{Guid.NewGuid():N}";
                try
                {
                    if (Directory.Exists(to)) Directory.Move(to, old);
                    Directory.Move(staging, to);
                    return copied;
                }
                catch (IOException) when (attempt < 5 && Directory.Exists(to))
                {
                }
                finally
                {
                    if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    // link(2): no managed API makes hard links; DllImport keeps the project free of unsafe code.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}
