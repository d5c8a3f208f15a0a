using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MLOps.Pipelines.Internal.Hashing;

/// <summary>What identifies one version of a file without reading it: size, modification and change times, inode, device.</summary>
/// <remarks>
/// ctime is included beyond the classic (size, mtime, inode): it cannot be set from user space, so an edit that keeps
/// the size and resets mtime (cp -p, tar, touch -r) is still noticed, as git's index does with core.trustctime.
/// </remarks>
internal readonly record struct FileIdentity(long Size, long MTimeNs, long CTimeNs, ulong Inode, ulong Device);

/// <summary>
/// stat(2) through P/Invoke: .NET exposes no inode or ctime. Chosen over Mono.Posix (a native package for one call) and
/// over FileSystemInfo (no inode, no ctime). The struct offsets used (dev 0, ino 8, size 48, mtim 88, ctim 104) are the
/// same in glibc's x86-64 layout and the generic layout of arm64; <c>stat</c> is a real export since glibc 2.33 (and in
/// musl), <c>__xstat</c> serves older glibc. Elsewhere the identity degrades to size and mtime from FileInfo.
/// </summary>
internal static class FileStatus
{
    const int BufferLength = 256; // ≥ sizeof(struct stat) on every Linux ABI (144 on x86-64, 128 on arm64)
    const int ENOENT = 2, ENOTDIR = 20;

    static readonly bool NativeLayoutKnown = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;
    static bool _useXStat;

    const int StackPathLength = 1024;

    // Blittable signatures over spans: a warm check stats every input file, so no call allocates.
    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    static extern int NativeStat(ref byte path, ref byte buffer);

    [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
    static extern int NativeXStat(int version, ref byte path, ref byte buffer);

    /// <summary>The file's identity, or null when nothing exists at the path.</summary>
    public static FileIdentity? TryGet(string path)
    {
        if (!NativeLayoutKnown)
            return Managed(path);

        var maxLength = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        Span<byte> encoded = maxLength <= StackPathLength ? stackalloc byte[StackPathLength] : new byte[maxLength];
        encoded[Encoding.UTF8.GetBytes(path, encoded)] = 0;
        Span<byte> buffer = stackalloc byte[BufferLength];
        var result = Call(encoded, buffer);
        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR)
                return null;
            throw new IOException($"stat('{path}') failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        var span = buffer;
        return new FileIdentity(
            Size: BinaryPrimitives.ReadInt64LittleEndian(span[48..]),
            MTimeNs: (BinaryPrimitives.ReadInt64LittleEndian(span[88..]) * 1_000_000_000) + BinaryPrimitives.ReadInt64LittleEndian(span[96..]),
            CTimeNs: (BinaryPrimitives.ReadInt64LittleEndian(span[104..]) * 1_000_000_000) + BinaryPrimitives.ReadInt64LittleEndian(span[112..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[8..]),
            Device: BinaryPrimitives.ReadUInt64LittleEndian(span[..8]));
    }

    static int Call(Span<byte> path, Span<byte> buffer)
    {
        if (!_useXStat)
        {
            try
            {
                return NativeStat(ref MemoryMarshal.GetReference(path), ref MemoryMarshal.GetReference(buffer));
            }
            catch (EntryPointNotFoundException)
            {
                _useXStat = true;
            }
        }
        // _STAT_VER is 1 on x86-64 and 0 on arm64 in glibc before 2.33.
        return NativeXStat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0,
            ref MemoryMarshal.GetReference(path), ref MemoryMarshal.GetReference(buffer));
    }

    static FileIdentity? Managed(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            return null;
        return new FileIdentity(info.Length, (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100, 0, 0, 0);
    }

    /// <summary>Nanoseconds since the Unix epoch, the clock stat's times use.</summary>
    public static long NowNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
}
