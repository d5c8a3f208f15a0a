namespace MLOps.Pipelines.EndToEnd.Tests.Faults;

/// <summary>What is done to a persisted file.</summary>
public enum Fault
{
    /// <summary>Cut to half its length.</summary>
    Truncate,
    /// <summary>One byte in the middle XORed with 0x5A.</summary>
    FlipByte,
    /// <summary>Zero bytes.</summary>
    Empty,
    /// <summary>Deleted and a folder (holding a file) put in its place.</summary>
    Directory,
    /// <summary>
    /// Replaced by a symbolic link to itself: opening it fails with ELOOP. The tests run as root, for whom chmod 000
    /// denies nothing, so this is how a file is made unreadable here.
    /// </summary>
    Unreadable,
    /// <summary>A hand-crafted path out of the repository (or at a file that is not an output), per kind of file.</summary>
    Traversal,
}

/// <summary>Applies a <see cref="Fault"/> to files; the traversal craft is the caller's, as it depends on the format.</summary>
public static class FaultInjector
{
    public static void Apply(Fault fault, string path)
    {
        switch (fault)
        {
            case Fault.Truncate:
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case Fault.FlipByte:
                var flipped = File.ReadAllBytes(path);
                if (flipped.Length > 0) flipped[flipped.Length / 2] ^= 0x5A;
                File.WriteAllBytes(path, flipped);
                break;
            case Fault.Empty:
                File.WriteAllBytes(path, []);
                break;
            case Fault.Directory:
                File.Delete(path);
                System.IO.Directory.CreateDirectory(path);
                File.WriteAllText(Path.Combine(path, "inside.txt"), "not a cache file");
                break;
            case Fault.Unreadable:
                File.Delete(path);
                File.CreateSymbolicLink(path, path);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "crafted per kind of file by the caller");
        }
    }

    /// <summary>Removes what a fault left in place of a file (a folder or a link), so a clean run can follow.</summary>
    public static void Clear(string path)
    {
        if (new FileInfo(path).LinkTarget is not null) File.Delete(path);
        else if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
    }
}
