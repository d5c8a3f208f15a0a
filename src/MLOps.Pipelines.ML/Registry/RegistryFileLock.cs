using System.Diagnostics;

namespace MLOps.Pipelines.ML.Registry;

/// <summary>
/// An inter-process lock on a file next to the registry. It relies on what .NET does for <see cref="FileShare.None"/>:
/// on Windows a sharing-mode lock; on Linux and macOS an advisory <c>flock(LOCK_EX | LOCK_NB)</c> on the open file
/// description, so it excludes other processes and other streams of this process alike, and the kernel drops it when
/// the holder exits or crashes (no stale lock file to clean up). .NET skips the flock silently when
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is set, so that configuration is refused rather than trusted.
/// </summary>
internal sealed class RegistryFileLock : IDisposable
{
    const string DisableSwitch = "System.IO.DisableFileLocking";
    const string DisableVariable = "DOTNET_SYSTEM_IO_DISABLEFILELOCKING";

    readonly FileStream _stream;

    RegistryFileLock(FileStream stream) => _stream = stream;

    public static RegistryFileLock Acquire(string lockPath, TimeSpan timeout)
    {
        if (FileLockingDisabled())
            throw new ModelRegistryException(
                $"Cannot lock '{lockPath}': .NET file locking is disabled ({DisableVariable} or the {DisableSwitch} switch), " +
                "so two registrations could overwrite each other. Unset it to use the model registry.");

        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new RegistryFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1));
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException && NotALockFile(lockPath))
            {
                // A folder or a link in the lock's place never frees up: waiting would only end in a misleading timeout.
                throw new ModelRegistryException(
                    $"Cannot lock '{lockPath}': it is not a plain file ({e.Message.ReplaceLineEndings(" ")}). It holds no data: " +
                    "delete it and run again (the registry creates it).", e);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                if (waited.Elapsed > timeout)
                    throw new ModelRegistryException(
                        $"Timed out after {timeout.TotalSeconds:0} s waiting for the registry lock '{lockPath}', held by another " +
                        $"registration ({e.Message}). Wait for it to finish, or raise {nameof(ModelRegistryOptions)}.{nameof(ModelRegistryOptions.LockTimeout)}.", e);
                // Jitter, so two waiters do not retry in lockstep.
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
        }
    }

    static bool NotALockFile(string lockPath)
    {
        var info = new FileInfo(lockPath);
        return System.IO.Directory.Exists(lockPath) || info.LinkTarget is not null;
    }

    static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch(DisableSwitch, out var disabled) && disabled)
            return true;
        var variable = Environment.GetEnvironmentVariable(DisableVariable);
        return variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    public void Dispose() => _stream.Dispose();
}
