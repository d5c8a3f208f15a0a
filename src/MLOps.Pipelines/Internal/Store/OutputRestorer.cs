using MLOps.Pipelines.Internal.Hashing;
using MLOps.Pipelines.Internal.Incremental;

namespace MLOps.Pipelines.Internal.Store;

/// <summary>
/// Materializes an action's outputs from the local store: every file is copied (never hard-linked: a target that later
/// rewrites its output in place would corrupt the store through the shared inode; File.Copy uses copy_file_range or a
/// reflink where the file system offers one) into a staging folder and verified against its recorded XXH3 and size.
/// Only when all files check out are the declared outputs replaced, so a corrupted blob leaves the outputs untouched;
/// that blob is reported, deleted from the store, and the restore fails so the target runs.
/// </summary>
internal static class OutputRestorer
{
    public static RestoreResult Restore(TargetCache cache, ActionRecord action, IReadOnlyList<(string Full, string Relative)> outputs)
    {
        var staging = Path.Combine(cache.Root, ".nuke", "temp", "restore", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var staged = new List<(string Staged, string Final, ActionOutput Output)>();
            var copies = new List<(ActionFile File, string Staged, string Final)>();
            for (var i = 0; i < action.Outputs.Count; i++)
            {
                var output = action.Outputs[i];
                var final = outputs.Single(o => o.Relative == output.Path).Full;
                var stagedRoot = Path.Combine(staging, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                staged.Add((stagedRoot, final, output));
                if (output.Directory)
                {
                    Directory.CreateDirectory(stagedRoot);
                    foreach (var file in action.Files.Where(f => f.Path.StartsWith(output.Path + "/", StringComparison.Ordinal)))
                    {
                        var suffix = file.Path[(output.Path.Length + 1)..];
                        copies.Add((file, Path.Combine(stagedRoot, suffix), Path.Combine(final, suffix)));
                    }
                }
                else
                {
                    copies.Add((action.Files.Single(f => f.Path == output.Path), stagedRoot, final));
                }
            }

            string? failure = null;
            Parallel.ForEach(copies, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (copy, loop) =>
            {
                var blob = cache.Store.BlobPath(copy.File.Sha256);
                Directory.CreateDirectory(Path.GetDirectoryName(copy.Staged)!);
                // Checked before copying: a link or a special file in the store (a link to /dev/zero) is never read.
                var info = new FileInfo(blob);
                if (!info.Exists || info.LinkTarget is not null || info.Length != copy.File.Size)
                {
                    if (info.Exists || System.IO.Directory.Exists(blob))
                    {
                        cache.Options.Warn($"content store blob {blob} (output {copy.File.Path} of target '{action.Target}') is not a {copy.File.Size}-byte file; deleted, the target will run.");
                        cache.Store.DeleteBlob(copy.File.Sha256);
                    }
                    Interlocked.CompareExchange(ref failure, $"the store lacks an intact blob of {copy.File.Path} ({blob})", null);
                    loop.Stop();
                    return;
                }
                try
                {
                    File.Copy(blob, copy.Staged);
                }
                catch (FileNotFoundException)
                {
                    Interlocked.CompareExchange(ref failure, $"the store lacks the blob of {copy.File.Path} ({blob})", null);
                    loop.Stop();
                    return;
                }
                var size = new FileInfo(copy.Staged).Length;
                var hash = ContentHash.Xxh3File(copy.Staged);
                if (size != copy.File.Size || hash != copy.File.Xxh3)
                {
                    cache.Options.Warn($"content store blob {blob} (output {copy.File.Path} of target '{action.Target}') is corrupted: expected {copy.File.Size} bytes with XXH3 {copy.File.Xxh3}, found {size} bytes with {hash}; deleted, the target will run.");
                    cache.Store.DeleteBlob(copy.File.Sha256);
                    Interlocked.CompareExchange(ref failure, $"corrupted store blob for {copy.File.Path}", null);
                    loop.Stop();
                    return;
                }
                ContentStore.Touch(blob);
            });
            if (failure is not null)
                return RestoreResult.Failed(failure);

            // All verified: swap each declared output into place (renames within the root's file system).
            var hashedAt = FileStatus.NowNs();
            foreach (var (stagedPath, final, _) in staged)
            {
                PathMove.Delete(final);
                PathMove.Move(stagedPath, final);
            }
            foreach (var copy in copies)
                cache.State.Record(copy.Final, copy.File.Xxh3, hashedAt);
            return RestoreResult.Success;
        }
        finally
        {
            PathMove.Delete(staging);
        }
    }
}
