namespace MLOps.Pipelines.Internal.Incremental;

/// <summary>
/// An exclusive lock on a file, held by an open <see cref="FileStream"/> with <see cref="FileShare.None"/>. On Unix
/// .NET takes it as flock(LOCK_EX | LOCK_NB) on the open file description, so it excludes other processes and other
/// handles in this process alike, and the kernel releases it when the holder dies, even by SIGKILL — which is how a
/// leftover backup is known to be orphaned. Lock files are never deleted (deleting one would let two holders in).
/// The environment variable DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 turns .NET's own flock off (silently: two builds
/// then ran the same target at once), so the lock also calls flock(2) itself, which no setting disables.
/// </summary>
internal sealed class InterProcessLock : IDisposable
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    FileStream? _stream;

    InterProcessLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Takes the lock now, or returns null when another holder has it.</summary>
    public static InterProcessLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            if (!TryFlock(stream))
            {
                stream.Dispose();
                return null;
            }
            // Who holds it, for a human looking at a stuck wait.
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            stream.Write(pid);
            stream.Flush();
            return new InterProcessLock(stream, path);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>Waits (polling) until the lock is free; <paramref name="onWait"/> is called once if it must wait.</summary>
    public static InterProcessLock Acquire(string path, Action? onWait = null, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        var waited = false;
        while (true)
        {
            if (TryAcquire(path) is { } acquired)
                return acquired;
            if (!waited)
            {
                waited = true;
                onWait?.Invoke();
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"Timed out waiting for the lock {path} (held by process {ReadHolder(path)}).");
            cancellation.WaitHandle.WaitOne(PollInterval);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    const int LOCK_EX = 2, LOCK_NB = 4, EINTR = 4;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    static extern int Flock(int fd, int operation);

    /// <summary>flock(LOCK_EX | LOCK_NB) on the stream's descriptor (a no-op success where .NET already holds it); false when another holder has it.</summary>
    static bool TryFlock(FileStream stream)
    {
        if (OperatingSystem.IsWindows())
            return true; // FileShare.None is enforced by Windows itself
        var fd = (int)stream.SafeFileHandle.DangerousGetHandle();
        while (true)
        {
            if (Flock(fd, LOCK_EX | LOCK_NB) == 0)
                return true;
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != EINTR)
                return false; // EWOULDBLOCK: held elsewhere (any other failure: do not claim a lock we do not hold)
        }
    }

    static string ReadHolder(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadLine() ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _stream, null)?.Dispose();
    }
}
